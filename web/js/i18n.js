// Interface strings in Chinese and English. The plan's own text stays in the language the
// advisor answered in; only the chrome around it follows this setting.

const STRINGS = {
  zh: {
    appName: "AI 落地顾问",
    appTagline: "企业 AI 落地规划 · 每条建议都有出处",
    newChat: "新对话",
    threads: "对话记录",
    noThreads: "还没有对话",
    untitled: "未命名对话",
    deleteThread: "删除对话",
    confirmDelete: "删除",
    cancel: "取消",
    openMenu: "打开菜单",
    closeMenu: "关闭菜单",
    switchLang: "Switch to English",
    langButton: "EN",
    modeOffline: "离线模式",
    modeLlm: "大模型模式",
    signOut: "更换密钥",
    welcomeTitle: "今天想规划哪项 AI 落地？",
    welcomeText:
      "描述你的企业和目标，顾问会从技术、安全、组织、市场四个方面检索知识库，给出带引用的分阶段落地方案。",
    examples: [
      "我们是一家 500 人的制造企业，如何分阶段落地 AI 客服？",
      "引入大模型时，数据安全与合规需要先做哪些准备？",
      "企业推进 AI 项目时如何解决人才短缺问题？",
      "如何评估 AI 项目的投入产出比？",
    ],
    composerLabel: "输入你的问题",
    composerPlaceholder: "问一个关于企业 AI 落地的问题…",
    composerHint: "Enter 发送 · Shift+Enter 换行",
    send: "发送",
    stop: "停止",
    profile: "企业画像",
    profileTitle: "企业画像",
    profileHint: "可选。随问题一起发送，并按对话记住。",
    industry: "行业",
    industryPh: "例如：制造业、零售",
    size: "规模",
    sizePh: "例如：500 人、中型企业",
    goals: "目标",
    goalsPh: "希望 AI 帮企业实现什么？",
    save: "保存",
    clear: "清空",
    close: "关闭",
    you: "你",
    advisor: "顾问",
    working: "正在分析…",
    done: "分析完成",
    planner: "规划",
    plannerWaiting: "正在理解问题…",
    plannerRoute: (n, lang) => `分派给 ${n} 个专家 · 回答语言 ${lang === "en" ? "英文" : "中文"}`,
    plannerRefused: "问题超出知识库范围",
    synthesizer: "汇总",
    specialists: "专家分析",
    verifier: "核验",
    areas: { tech: "技术整合", security: "安全合规", org: "组织人才", market: "市场与ROI" },
    laneWaiting: "等待中",
    laneRunning: "检索中…",
    laneDone: "完成",
    laneSkipped: "未涉及",
    laneCounts: (e, f) => `${e} 段证据 · ${f} 条发现`,
    stepPending: "等待中",
    stepDone: "完成",
    summary: "摘要",
    challenges: "主要挑战",
    roadmap: "落地路线图",
    phases: { "0-3": "0–3 个月", "3-6": "3–6 个月", "6-12": "6–12 个月" },
    owner: "负责人",
    priorityLabel: "优先级",
    priority: { high: "高优先级", medium: "中优先级", low: "低优先级" },
    risks: "风险与应对",
    risk: "风险",
    mitigation: "应对",
    kpis: "关键指标",
    target: "目标",
    sources: "参考来源",
    verified: "引用核验",
    verifyDetail: (v) =>
      `${v.supported}/${v.statements} 条陈述有依据 · 召回率 ${pct(v.citation_recall)} · 精确率 ${pct(v.citation_precision)}`,
    verifyRecall: "召回率",
    verifyPrecision: "精确率",
    offlineBanner: "离线模式：未接入大模型，方案由检索到的原文段落整理而成。",
    degradedBanner: "部分环节降级运行：",
    refusedTitle: "无法回答这个问题",
    refusedText: "知识库中没有可引用的依据，顾问不会凭空作答。请换一个与企业 AI 落地相关的问题。",
    copy: "复制",
    copied: "已复制到剪贴板",
    copyFailed: "复制失败，请手动选择文本",
    download: "下载 Markdown",
    print: "打印 / PDF",
    citation: (n) => `引用 ${n}`,
    sourceOf: "来源",
    page: (p) => `第 ${p} 页`,
    citedFor: "引用于",
    prevSource: "上一个来源",
    nextSource: "下一个来源",
    noQuote: "没有原文摘录。",
    stopped: "已停止生成。",
    retry: "重试",
    errNetwork: "无法连接到服务器，请检查网络后重试。",
    errRate: (s) => (s ? `请求过于频繁，请 ${s} 秒后重试。` : "请求过于频繁，请稍后重试。"),
    errServer: (code, detail) => `服务器出错（${code}）${detail ? `：${detail}` : ""}。请稍后重试。`,
    errClosed: "连接在方案完成前中断了。",
    errGeneric: "出了点问题",
    keyTitle: "需要 API 密钥",
    keyText: "此服务器要求 API 密钥。密钥仅保存在当前浏览器标签页中。",
    keyLabel: "API 密钥",
    keySubmit: "继续",
    keyRejected: "密钥无效或已过期，请重新输入。",
    keyEmpty: "请输入密钥。",
    loadFailed: "加载失败。",
    mdTitle: "AI 落地方案",
    mdQuestion: "问题",
    mdMode: "模式",
    planReady: "方案已生成",
  },
  en: {
    appName: "AI Adoption Advisor",
    appTagline: "Enterprise AI adoption plans · every recommendation cited",
    newChat: "New chat",
    threads: "Conversations",
    noThreads: "No conversations yet",
    untitled: "Untitled conversation",
    deleteThread: "Delete conversation",
    confirmDelete: "Delete",
    cancel: "Cancel",
    openMenu: "Open menu",
    closeMenu: "Close menu",
    switchLang: "切换到中文",
    langButton: "中文",
    modeOffline: "Offline mode",
    modeLlm: "LLM mode",
    signOut: "Change key",
    welcomeTitle: "What AI adoption are you planning?",
    welcomeText:
      "Describe your company and goals. The advisor searches the knowledge base for technology, security, organization and market evidence, and returns a phased plan with citations.",
    examples: [
      "We are a 500-person manufacturer. How should we roll out AI customer service in phases?",
      "What data security and compliance work comes first when adopting large models?",
      "How can we close the AI talent gap in our organization?",
      "How do we assess the ROI of AI projects?",
    ],
    composerLabel: "Your question",
    composerPlaceholder: "Ask about adopting AI in your company…",
    composerHint: "Enter to send · Shift+Enter for a new line",
    send: "Send",
    stop: "Stop",
    profile: "Company profile",
    profileTitle: "Company profile",
    profileHint: "Optional. Sent with your questions and remembered for this conversation.",
    industry: "Industry",
    industryPh: "e.g. manufacturing, retail",
    size: "Size",
    sizePh: "e.g. 500 employees, mid-sized",
    goals: "Goals",
    goalsPh: "What should AI achieve for the company?",
    save: "Save",
    clear: "Clear",
    close: "Close",
    you: "You",
    advisor: "Advisor",
    working: "Analyzing…",
    done: "Analysis complete",
    planner: "Planner",
    plannerWaiting: "Reading the question…",
    plannerRoute: (n, lang) =>
      `Routed to ${n} specialists · answering in ${lang === "zh" ? "Chinese" : "English"}`,
    plannerRefused: "Out of the knowledge base's scope",
    synthesizer: "Synthesis",
    specialists: "Specialists",
    verifier: "Verification",
    areas: {
      tech: "Tech integration",
      security: "Security & compliance",
      org: "Organization & talent",
      market: "Market & ROI",
    },
    laneWaiting: "Waiting",
    laneRunning: "Searching…",
    laneDone: "Done",
    laneSkipped: "Not needed",
    laneCounts: (e, f) => `${e} passages · ${f} findings`,
    stepPending: "Pending",
    stepDone: "Done",
    summary: "Summary",
    challenges: "Key challenges",
    roadmap: "Roadmap",
    phases: { "0-3": "Months 0–3", "3-6": "Months 3–6", "6-12": "Months 6–12" },
    owner: "Owner",
    priorityLabel: "Priority",
    priority: { high: "High priority", medium: "Medium priority", low: "Low priority" },
    risks: "Risks & mitigations",
    risk: "Risk",
    mitigation: "Mitigation",
    kpis: "KPIs",
    target: "Target",
    sources: "Sources",
    verified: "Citations verified",
    verifyDetail: (v) =>
      `${v.supported}/${v.statements} statements supported · recall ${pct(v.citation_recall)} · precision ${pct(v.citation_precision)}`,
    verifyRecall: "Recall",
    verifyPrecision: "Precision",
    offlineBanner:
      "Offline mode: no language model is connected; the plan is assembled from retrieved passages.",
    degradedBanner: "Running in a reduced mode:",
    refusedTitle: "The advisor can't answer this",
    refusedText:
      "The knowledge base holds no evidence to cite for it, and the advisor does not answer without evidence. Try a question about adopting AI in your company.",
    copy: "Copy",
    copied: "Copied to clipboard",
    copyFailed: "Copy failed; select the text manually",
    download: "Download Markdown",
    print: "Print / PDF",
    citation: (n) => `Citation ${n}`,
    sourceOf: "Source",
    page: (p) => `p. ${p}`,
    citedFor: "Cited for",
    prevSource: "Previous source",
    nextSource: "Next source",
    noQuote: "No quoted passage.",
    stopped: "Generation stopped.",
    retry: "Retry",
    errNetwork: "Can't reach the server. Check your connection and retry.",
    errRate: (s) => (s ? `Too many requests. Retry in ${s} s.` : "Too many requests. Retry in a moment."),
    errServer: (code, detail) =>
      `The server ran into an error (${code})${detail ? `: ${detail}` : ""}. Please retry.`,
    errClosed: "The connection closed before the plan was ready.",
    errGeneric: "Something went wrong",
    keyTitle: "API key required",
    keyText: "This server requires an API key. It is kept only in this browser tab.",
    keyLabel: "API key",
    keySubmit: "Continue",
    keyRejected: "That key was rejected or has expired. Enter a valid key.",
    keyEmpty: "Enter a key.",
    loadFailed: "Couldn't load.",
    mdTitle: "AI adoption plan",
    mdQuestion: "Question",
    mdMode: "Mode",
    planReady: "Plan ready",
  },
};

function pct(x) {
  return `${Math.round((Number(x) || 0) * 100)}%`;
}

const LANG_KEY = "advisor.lang";
let current = initialLang();
const listeners = new Set();

function initialLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === "zh" || saved === "en") return saved;
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return nav.toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function lang() {
  return current;
}

/** Look a string up in the current language; functions are called with `args`. */
export function t(key, ...args) {
  const value = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return typeof value === "function" ? value(...args) : value;
}

export function setLang(next) {
  current = next === "zh" ? "zh" : "en";
  localStorage.setItem(LANG_KEY, current);
  applyStatic();
  for (const fn of listeners) fn(current);
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** Fill every `data-i18n*` attribute in the static markup. */
export function applyStatic(root = document) {
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]"))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-label]"))
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}
