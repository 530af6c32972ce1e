"""Domain lexicons for offline routing and extraction.

The offline advisor has no model, so what an area "is" and what an action or a risk "sounds
like" lives here as data: weighted area terms in Chinese and English, cue words that classify
evidence sentences, owner roles, and the patterns that mark a request as out of scope.
Weights: 2 for terms that name an area on their own, 1 for terms that only lean towards it.
"""

from __future__ import annotations

import re

from agents.state import Area

AREA_TERMS: dict[Area, dict[str, int]] = {
    "tech": {
        "技术整合": 2, "技术集成": 2, "系统集成": 2, "集成": 2, "整合": 1, "兼容": 2, "技术架构": 2,
        "架构": 1, "基础设施": 2, "接口": 1, "API": 2, "SDK": 2, "平台": 1, "模型": 1, "大模型": 1,
        "选型": 2, "算力": 2, "部署": 1, "数据孤岛": 2, "数据整合": 2, "数据质量": 2, "数据治理": 2,
        "供应商": 1, "合作伙伴": 1, "研发": 1, "软件": 1, "代码": 2, "开发": 1, "融入": 1,
        "系统": 1, "维护": 1, "迁移": 1, "技术壁垒": 2, "技术": 1, "推理成本": 2, "微调": 2,
        "integration": 2, "integrate": 2, "integrating": 2, "system": 1, "systems": 1, "architecture": 2,
        "infrastructure": 2, "api": 2, "apis": 2, "sdk": 2, "platform": 1, "model": 1, "models": 1,
        "llm": 1, "deploy": 1, "deployment": 1, "legacy": 2, "erp": 2, "crm": 1, "cloud": 1,
        "data silos": 2, "data quality": 2, "tech": 2, "technology": 2, "technical": 2, "stack": 1,
        "compute": 2, "maintenance": 1, "fine-tune": 2, "fine-tuning": 2, "vendor": 1,
    },
    "security": {
        "安全": 2, "隐私": 2, "合规": 2, "权限": 2, "访问控制": 2, "加密": 2, "审计": 2, "泄露": 2,
        "法律": 1, "法规": 2, "监管": 2, "个人信息": 2, "敏感": 1, "数据保护": 2, "风险管理": 2,
        "伦理": 2, "GDPR": 2, "漏洞": 2, "攻击": 2, "滥用": 1, "授权": 1, "保密": 2, "幻觉": 1,
        "security": 2, "secure": 2, "privacy": 2, "private": 2, "compliance": 2, "compliant": 2,
        "permission": 2, "permissions": 2, "access control": 2, "encryption": 2, "encrypt": 2,
        "audit": 2, "leak": 2, "leakage": 2, "breach": 2, "regulation": 2, "regulations": 2,
        "regulatory": 2, "legal": 1, "law": 1, "gdpr": 2, "pipl": 2, "personal data": 2,
        "sensitive": 1, "governance": 1, "ethics": 2, "ethical": 2, "risk": 1, "risks": 1,
        "confidential": 2, "hallucination": 1,
    },
    "org": {
        "组织": 2, "人才": 2, "培训": 2, "员工": 2, "团队": 1, "跨部门": 2, "跨职能": 2, "协同": 1,
        "管理层": 2, "文化": 1, "变革": 1, "技能": 2, "素养": 2, "招聘": 2, "引进": 1, "高校": 2,
        "岗位": 2, "角色": 1, "人机协同": 2, "职业发展": 2, "协作": 1, "人力资源": 2, "HR": 2,
        "组织架构": 2, "领导": 1, "管理": 1, "战略": 1,
        "organization": 2, "organisation": 2, "organizational": 2, "talent": 2, "training": 1,
        "train": 1, "staff": 2, "employee": 2, "employees": 2, "team": 1, "teams": 1, "skills": 2,
        "skill": 2, "upskill": 2, "upskilling": 2, "reskill": 2, "culture": 2, "change management": 2,
        "hire": 2, "hiring": 2, "recruit": 2, "recruiting": 2, "people": 1, "hr": 2, "leadership": 2,
        "roles": 1, "workforce": 2, "change": 1,
    },
    "market": {
        "市场": 2, "需求": 1, "客户": 1, "用户": 1, "场景": 2, "应用场景": 2, "用例": 2, "ROI": 2,
        "投资回报": 2, "投入产出": 2, "成本": 2, "收益": 2, "价值": 1, "效率": 1, "降本增效": 2,
        "营销": 2, "销售": 2, "竞争": 1, "商业模式": 2, "产品": 1, "客服": 1, "满意度": 2, "业务": 1,
        "试点": 1, "预算": 1, "战略": 1, "供应商": 1, "合作伙伴": 1, "行业": 1, "竞争力": 2, "差异化": 2,
        "行业大模型": 2, "行业模型": 2, "落地方向": 2, "领域": 1, "龙头": 1,
        "market": 2, "markets": 2, "customer": 1, "customers": 1, "user": 1, "users": 1,
        "use case": 2, "use cases": 2, "roi": 2, "return on investment": 2, "cost": 2, "costs": 2,
        "value": 1, "revenue": 2, "sales": 2, "marketing": 2, "efficiency": 1, "business case": 2,
        "competition": 1, "competitive": 1, "product": 1, "kpi": 2, "kpis": 2, "benefit": 1,
        "benefits": 1, "savings": 2, "budget": 1, "pilot": 1,
    },
}  # fmt: skip

# Terms that show the question is about AI adoption at all, without pointing to one area.
CORE_TERMS: tuple[str, ...] = (
    "AI", "人工智能", "大模型", "智能", "落地", "数字化", "转型", "智能化", "生成式", "Agent", "智能体",
    "ai", "artificial intelligence", "genai", "generative", "llm", "chatbot", "chatbots", "automation",
    "machine learning", "adoption", "adopt", "copilot", "agent", "agents",
)  # fmt: skip

# Plan-shaped requests get every area whatever else they mention.
PLAN_CUES: tuple[str, ...] = (
    "分阶段", "落地计划", "路线图", "未来一年", "一年内", "第一年", "12个月", "十二个月", "落地规划",
    "应用规划", "全面推进", "四个方面", "3-5年", "三到五年", "实施计划", "行动计划", "落地方案",
    "roadmap", "road map", "phased", "first year", "12 months", "twelve months", "adoption plan",
    "rollout plan", "12-month",
)  # fmt: skip
# Questions about obstacles in general (no area named) get every area too.
ISSUE_CUES: tuple[str, ...] = (
    "挑战", "风险", "问题", "注意", "因素", "难点", "障碍",
    "challenge", "risk", "pitfall", "consider", "watch out",
)  # fmt: skip
# Broad planning requests get every area unless they name one.
BROAD_CUES: tuple[str, ...] = (
    "分阶段", "落地计划", "路线图", "规划", "整体", "全面", "全方位", "转型", "未来一年", "一年内", "第一年",
    "实施计划", "行动计划", "从哪里开始", "如何落地", "怎么落地", "落地AI", "引入AI", "推进AI", "落地方案",
    "roadmap", "road map", "phased", "first year", "12 months", "twelve months", "where to start",
    "where do we start", "get started", "end-to-end", "overall", "comprehensive", "transformation",
    "adoption plan", "rollout plan", "roll out ai", "adopt ai", "strategy",
)  # fmt: skip

# Sentence cues, matched as substrings (Chinese) or words (English), in classification order.
RISK_CUES: tuple[str, ...] = (
    "风险", "泄露", "隐患", "违规", "滥用", "攻击", "篡改", "幻觉", "侵犯", "威胁", "漏洞", "不可预测",
    "法律责任", "处理不当",
)  # fmt: skip
CHALLENGE_CUES: tuple[str, ...] = (
    "挑战", "难题", "障碍", "困难", "瓶颈", "短缺", "不足", "缺乏", "壁垒", "困扰", "阻力", "匮乏",
    "制约", "难以", "孤岛", "摩擦", "不够", "盲区", "困境", "亟待",
)  # fmt: skip
# Modal verbs that make a sentence advice; lookarounds keep 应用/适应/需求 from counting.
ACTION_MODAL = re.compile(
    r"应当|应该|建议|必须|有必要|需要|可以|须|(?<![适响供相反回效对呼顺])应(?![用对变答运付])|需(?![求])"
)
ACTION_START = re.compile(
    r"^(建立|制定|加强|设立|开展|引入|实施|采用|确保|明确|推动|选择|聘请|构建|设定|组织|培养|定期|积极|重视|"
    r"利用|提升|优化|进行|鼓励|保持|打造|规划|评估|识别|关注|投入|设计|提供|强化|完善)"
)
ACTION_VERBS = re.compile(
    r"建立|制定|加强|设立|开展|引入|实施|采用|确保|明确|推动|选择|聘请|构建|设定|组织|培养|重视|利用|优化|"
    r"进行|鼓励|打造|规划|评估|识别|关注|投入|设计|强化|完善|集成|整合|培训|引进|部署|审计|监控|加密|告知"
)
# Risk words inside a mitigation ("以防止数据泄露") describe an action, not a risk.
MITIGATION = re.compile(
    r"(防止|避免|防范|降低|减少|规避|减轻|应对|防控|修复|发现|缓解|以便|有助于|不被)[^，。；]*|"
    r"风险(管理|防控|防范|评估|控制)"
)
# A risk sentence says something may go wrong, not just that a risk word occurs.
THREAT = re.compile(
    r"可能|易受|容易|导致|带来|引发|存在|面临|出现|造成|不当|一旦|若|如果|加剧|冲击|被篡改|替代"
)
# "AI可以…" describes what the technology does; it is not advice to the reader.
CAPABILITY = re.compile(
    r"(AI|人工智能|技术|系统|模型|工具|平台|机器人|算法)(还|也|则)?(可以|能够|可|能)|(往往|通常|都|一般|仍)(需要|需)"
)
PURPOSE = re.compile(r"(为了|为)(解决|应对|克服|缓解)[^，。；]*")
FLUFF = re.compile(
    r"(许多|诸多|各种|更多的)[^，。]{0,4}(挑战|机遇|问题)|必然选择|脱颖而出|立于不败之地|未来的成功|智慧和勇气|乘风破浪|"
    r"新的征程|前所未有的机遇|洪流|脉搏|把握技术变革"
)

KPI_CUES: tuple[str, ...] = (
    "指标", "ROI", "投资回报", "投入产出", "成本", "效率", "满意度", "转化率", "周转率", "响应时间",
    "错误率", "生产率", "销售额", "忠诚度", "准确性", "召回率", "量化", "%", "％",
)  # fmt: skip

# Owner roles by area, in the plan's language; a topic template may name a more precise one.
OWNERS: dict[Area, dict[str, str]] = {
    "tech": {"zh": "CIO/IT架构负责人", "en": "CIO / IT architecture lead"},
    "security": {"zh": "CISO/合规负责人", "en": "CISO / compliance lead"},
    "org": {"zh": "HR负责人/CHRO", "en": "CHRO / HR lead"},
    "market": {"zh": "业务负责人/CFO", "en": "Business unit head / CFO"},
}

AREA_LABELS: dict[Area, dict[str, str]] = {
    "tech": {"zh": "技术整合", "en": "Technology integration"},
    "security": {"zh": "安全与合规", "en": "Security, privacy and compliance"},
    "org": {"zh": "组织与人才", "en": "Organization and talent"},
    "market": {"zh": "市场与ROI", "en": "Market fit and ROI"},
}

# Query terms each specialist adds to the question's focus so it retrieves its own angle.
AREA_QUERY: dict[Area, str] = {
    "tech": "技术整合 系统集成 兼容性 数据整合 架构",
    "security": "数据安全 隐私保护 合规 权限 访问控制 加密 审计",
    "org": "人才培养 员工培训 跨部门团队 组织管理 协同",
    "market": "AI战略 应用场景 业务价值 市场需求 用户反馈 投资回报 成本效益",
}

# A second query per area looks for the obstacles and risks the area's sources name.
AREA_ISSUES: dict[Area, str] = {
    "tech": "技术壁垒 整合难题 兼容 数据孤岛",
    "security": "权限与安全控制 关键障碍 数据隐私问题 法律风险 泄露",
    "org": "人才短缺 缺乏专业人才 管理协调 组织结构",
    "market": "市场需求 适应性风险 成本 投资回报 价值量化",
}

# Words that carry no topic: ignored when judging relevance and lexical support.
_GENERIC_WORDS = """
企业 公司 我们 我 你 你们 他们 AI 人工智能 如何 怎么 怎样 什么 哪些 需要 应该 可以 进行 问题 方面
一个 一些 请 给出 给 建议 呢 吗 的 了 和 与 及 或 在 是 有 为 对 将 把 被 就 都 也 还 要 会 能 这
那 这些 那些 其 并 以及 通过 从而 以便 使 让 等 中 上 下 个 之 所 如果 因此 此外 同时 方面 主要 技术方面
安全方面 组织方面 市场方面 相关 实现 提供 帮助 使用 当前 目前 未来 更 很 非常 已经 不断 持续 能够
a an the of to and or in on for with what how do we our us is are be can should which when why about
into from by as at it this that these those you your i me my there their them will would could may
might please give any some more most best way ways company companies business enterprise enterprises
need needs want plan what's how's
"""
GENERIC: frozenset[str] = frozenset(_GENERIC_WORDS.split())
# Words that frame a question rather than name its topic ("为了…怎样提升…", "各自有什么…"):
# they weigh little when judging what a passage answers, and never become search phrases.
_FRAME_WORDS = """
为了 作为 各自 两种 几种 哪种 哪两种 哪几个 几个 一般 目前 通常 具体 分别 最常 常见 经历 带来 提升 提高
支撑 打造 做好 利用 借助 帮助 真正 起来 之后 以后 时候 过程 期间 不同 自己 适合 有效 能否 是否 可能
才能 结合 本身 怎么办 该 各 有何 应对 解决 考虑 注意 选择 采取 做到 落地 引入 推进 开展 带 来 时
一家 计划 希望 怎样才能 好处 看重 遇到 方式 最大 发生 相比 大家 当作 什么样 如何才能 还是 自己
分阶段 面临 避免 防止 保障 增强 另外 很快 不够 四个 率先 赢得 有限 明年 今年 第一年 一年 一年内 领域
main key kind kinds type types role roles bring brings use using used make get getting good better
mid sized small large within employees first year phased
"""
FRAME: frozenset[str] = frozenset(_FRAME_WORDS.split())

OFF_TOPIC = re.compile(
    r"天气|气温|下雨|下雪|股票|股价|涨停|彩票|诗|歌词|菜谱|食谱|星座|笑话|小说|电影推荐|"
    r"\bweather\b|\bstocks?\b|\bshares? to buy\b|\bpoem\b|\bpoetry\b|\brecipe\b|\blottery\b|"
    r"\bjoke\b|\bhoroscope\b|\blyrics\b|马拉松|减肥|健身|世界杯|球队|做饭|好吃|旅游|\bmarathon\b|\bfootball\b|"
    r"\bsoccer\b|\bworld cup\b|\bdiet\b|\bworkout\b|\bvacation\b",
    re.IGNORECASE,
)

INJECTION = re.compile(
    r"忽略.{0,12}(指令|指示|提示|规则|要求)|(系统|初始)提示词|越狱|开发者模式|"
    r"ignore\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier)\s+(instructions|prompts?)|"
    r"system\s+prompt|jailbreak|developer\s+mode|you\s+are\s+now\b|disregard\s+(all\s+)?instructions",
    re.IGNORECASE,
)

# A short question opening like these continues the thread's earlier topic.
FOLLOW_UP = re.compile(
    r"^(那|那么|还有|另外|再|以及|并且)|呢[？?]?$|^(what|how)\s+about\b|^and\b|^also\b|^then\b",
    re.IGNORECASE,
)

# Sentences that sell, introduce or cite rather than advise.
PROMO = re.compile(
    r"蓝莺|本文|这篇文章|易观|信息来源|数据来源|客户热线|网址|微博|©|www\.|http|下图|如下图|上图|"
    r"新一代智能聊天云服务"
)
