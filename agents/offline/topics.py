"""Bilingual topic templates: what an evidence sentence is about, in words a manager can act on.

The seed corpus is Chinese. Offline, an English plan cannot translate, so each evidence
sentence is matched to a topic by its Chinese trigger terms and rendered with that topic's
English sentence, while the citation keeps the Chinese quote. Topics also carry the phase,
priority and owner an action on that topic usually gets (foundations and governance early,
integration and training mid-way, scaling and ROI review late).
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.language.lexicon import PURPOSE
from agents.state import Area, Phase, Priority


@dataclass(frozen=True)
class Topic:
    key: str
    area: Area
    triggers: tuple[str, ...]
    phase: Phase
    priority: Priority
    action_en: str
    challenge_en: str = ""
    risk_en: str = ""
    owner_zh: str = ""
    owner_en: str = ""


T = Topic
TOPICS: tuple[Topic, ...] = (
    # --- technology integration --------------------------------------------------------------
    T("system_audit", "tech", ("系统审计", "基础设施进行", "技术整合方案", "评估现有"), "0-3", "high",
      "Audit existing systems and infrastructure, then draw up an integration plan for AI",
      "Complex existing system architecture makes AI integration hard"),
    T("data_silos", "tech", ("数据孤岛", "数据整合", "统一的数据视图", "数据分散", "分散在"), "0-3", "high",
      "Consolidate data scattered across systems into a unified data view",
      "Data silos across systems limit data integration and analysis",
      owner_zh="CIO/首席数据官", owner_en="CIO / chief data officer"),
    T("data_quality", "tech", ("数据质量", "数据清洗", "数据标准化", "数据验证"), "0-3", "high",
      "Improve data quality: cleanse, standardize and validate data before model use",
      "Data quality is uneven and data is hard to obtain",
      owner_zh="CIO/首席数据官", owner_en="CIO / chief data officer"),
    T("model_selection", "tech", ("模型选择", "选择合适的AI模型", "选择合适模型", "选型", "模型种类"), "0-3",
      "high", "Select AI models that fit each business scenario and plan for continuous tuning",
      "Choosing the right model among many options is hard"),
    T("migration", "tech", ("迁移", "同步"), "0-3", "medium",
      "Plan data migration and synchronization between systems from different vendors",
      "Data migration and synchronization across vendors' systems can cause problems"),
    T("vendor", "tech", ("供应商", "合作伙伴", "解决方案提供商"), "0-3", "medium",
      "Select AI vendors and partners on technical support, maintenance and continuous innovation"),
    T("maintenance", "tech", ("维护", "更新换代", "专职团队", "定期更新"), "6-12", "medium",
      "Set up a dedicated team for maintenance and updates of AI systems as models change",
      "AI systems need continuous maintenance and updates"),
    T("proprietary_data", "tech", ("专有数据", "数据资产", "语料"), "3-6", "medium",
      "Build proprietary data assets and corpora for model tuning",
      owner_zh="CIO/首席数据官", owner_en="CIO / chief data officer"),
    T("inference_cost", "tech", ("推理成本", "模型压缩", "蒸馏", "算力"), "6-12", "low",
      "Use compressed or distilled models to cut inference cost",
      "Compute and inference cost remain high"),
    T("agents_rpa", "tech", ("RPA", "数字员工", "智能体", "Agent"), "6-12", "low",
      "Pilot LLM plus RPA agents (digital employees) on well-defined workflows"),
    T("compatibility", "tech", ("兼容",), "0-3", "high",
      "Check that existing systems are compatible with the AI solution before integrating it",
      "Compatibility between existing systems and AI solutions is hard to achieve"),
    T("integration", "tech", ("API", "SDK", "接口", "集成", "整合", "兼容", "无缝", "技术壁垒"), "3-6",
      "high", "Integrate AI with existing systems through APIs and SDKs",
      "Integration of AI with existing systems and processes is the first hurdle"),
    # --- security, privacy, compliance ---------------------------------------------------------
    T("governance", "security", ("风险管理机制", "风险防控", "应用规范", "审核规范", "权限规范", "安全机制"),
      "0-3", "high",
      "Define AI compliance and risk rules: development and review standards, data security, permissions",
      "Rules for compliant, low-risk AI use are still missing"),
    T("access_control", "security", ("权限", "访问控制"), "0-3", "high",
      "Enforce strict access control and permission management for AI systems and data",
      "Permission and access control is a key security obstacle",
      "Unauthorized access to sensitive data through AI systems"),
    T("encryption", "security", ("加密", "加密措施", "加密技术", "数据加密"), "0-3", "high",
      "Apply encryption to sensitive data that AI systems collect, store and process"),
    T("user_notice", "security", ("告知用户", "使用目的", "保留期限", "解释数据的使用方式"), "0-3", "medium",
      "Tell users what their data is used for, how long it is kept and what rights they have"),
    T("compliance", "security", ("法律法规", "法规", "GDPR", "合规审核", "合规性", "合规", "法律专家"), "0-3",
      "high", "Review AI data collection and use against applicable laws and regulations such as GDPR",
      "Compliance with data-protection and privacy laws and regulations is essential",
      "Mishandled customer data creates legal and compliance risk"),
    T("awareness", "security", ("保护意识", "安全意识"), "3-6", "medium",
      "Train employees in data-protection awareness and security policies"),
    T("audit", "security", ("审计",), "3-6", "medium",
      "Set up data audit trails and regular security audits"),
    T("assessment", "security", ("安全评估", "漏洞测试", "第三方", "独立检测"), "6-12", "medium",
      "Run regular security assessments and vulnerability tests, with independent third-party reviews"),
    T("monitoring", "security", ("异常检测", "实时监控", "监测机制", "警报"), "6-12", "medium",
      "Monitor data use with AI-based anomaly detection that alerts on suspicious activity"),
    T("ethics", "security", ("伦理", "价值对齐", "责任划分", "可解释", "公正性"), "6-12", "low",
      "Set ethics and accountability rules for AI decisions",
      "Ethics, transparency and accountability of AI decisions",
      "Unclear accountability when AI decisions go wrong"),
    T("adversarial", "security", ("对抗攻击", "恶意攻击", "篡改", "对抗样本"), "6-12", "medium",
      "Harden AI systems against adversarial attacks and tampering",
      risk_en="Adversarial attacks or tampering can push AI systems into wrong decisions"),
    T("hallucination", "security", ("幻觉",), "3-6", "medium",
      "Review generative AI output before use to catch hallucinations",
      risk_en="Generative AI can hallucinate or leak data"),
    T("leakage", "security", ("泄露", "滥用", "隐私", "数据安全"), "0-3", "high",
      "Put security mechanisms in place that prevent data leaks and misuse",
      "Data security and privacy protection cannot be neglected",
      "Data leaks or misuse of customer data through AI systems"),
    # --- organization and talent ---------------------------------------------------------------
    T("cross_team", "org", ("跨职能", "跨部门", "项目团队"), "0-3", "high",
      "Form a cross-functional AI project team with members from each department",
      "Coordination across departments needs improving",
      owner_zh="CEO/管理层", owner_en="CEO / executive team"),
    T("sponsorship", "org", ("管理层", "预算", "资源和支持"), "0-3", "high",
      "Secure management support with budget, training and tools for the AI team",
      owner_zh="CEO/管理层", owner_en="CEO / executive team"),
    T("university", "org", ("高校", "科研机构", "实习"), "6-12", "low",
      "Partner with universities and research institutes on courses and internships for a talent pipeline"),
    T("outsourcing", "org", ("外包", "咨询机构", "咨询服务"), "3-6", "medium",
      "Outsource specialist work to AI solution providers where in-house skills fall short"),
    T("career", "org", ("职业发展", "发展通道"), "6-12", "low",
      "Create career paths for AI-related roles to retain talent"),
    T("human_ai", "org", ("人机协同", "扁平化", "组织架构", "组织管理体系", "职责"), "6-12", "medium",
      "Redesign roles and structure for human-AI collaboration with clear division of duties",
      "The organization must adapt to human-AI collaboration",
      owner_zh="CEO/CHRO", owner_en="CEO / CHRO"),
    T("data_culture", "org", ("数据驱动", "文化氛围", "企业文化"), "6-12", "medium",
      "Build a data-driven decision culture across the company",
      owner_zh="CEO/CHRO", owner_en="CEO / CHRO"),
    T("learning", "org", ("持续学习", "学习机制"), "6-12", "medium",
      "Establish continuous learning so staff keep pace with AI"),
    T("reskilling", "org", ("再培训", "劳动力转型", "替代", "就业"), "6-12", "medium",
      "Plan reskilling for employees whose roles AI will change",
      "Some repetitive roles will be replaced and employees must move to new roles",
      "Employees in repetitive roles are displaced without reskilling"),
    T("hiring", "org", ("引进", "招聘", "人才短缺", "缺乏专业人才", "人才不足", "匮乏"), "3-6", "high",
      "Hire experienced AI talent to complement internal training",
      "A shortage of AI talent slows adoption"),
    T("training", "org", ("培训", "素养", "工作坊", "网络课程", "技能"), "3-6", "high",
      "Run AI training and hands-on workshops to raise employees' AI literacy",
      "Employees lack AI skills"),
    # --- market fit, use cases, ROI --------------------------------------------------------------
    T("strategy", "market", ("AI战略", "明确目标", "优先级", "适合AI介入", "业务流程，从而"), "0-3", "high",
      "Set a clear AI strategy: identify processes suited to AI, assess them and set priorities",
      owner_zh="CEO/业务负责人", owner_en="CEO / business unit head"),
    T("use_cases", "market", ("业务驱动", "用例", "业务价值", "流程和场景", "应用场景", "场景"), "0-3",
      "high",
      "Start from business value: plan AI use cases where the gaps are clearest, then iterate",
      "Companies lack suitable processes and scenarios for AI",
      owner_zh="业务负责人", owner_en="Business unit head"),
    T("kpi_setup", "market", ("可量化的指标", "评估指标", "量化"), "0-3", "medium",
      "Define quantifiable success metrics before rollout (productivity, error rate, sales)",
      owner_zh="CFO/业务负责人", owner_en="CFO / business unit head"),
    T("roi", "market", ("投资回报", "成本效益", "投入产出", "ROI", "初期投资", "成本"), "6-12", "high",
      "Review ROI with a cost-benefit analysis that also counts long-term value",
      "The value and cost of AI are hard to quantify",
      "Investment without measurable return",
      owner_zh="CFO", owner_en="CFO"),
    T("feedback", "market", ("反馈", "市场调研", "用户体验", "用户需求", "多样性", "适应性"), "3-6", "medium",
      "Collect user feedback and market research to adjust the product strategy",
      "Diverse market needs bring adaptation risk",
      "Following hype into features nobody needs, or missing shifts in demand"),
    T("agile", "market", ("敏捷", "迭代式开发"), "3-6", "medium",
      "Use agile, iterative delivery to respond quickly to market changes"),
    T("personalization", "market",
      ("个性化推荐", "个性化营销", "精准营销", "推荐系统", "个性化服务", "个性化"), "3-6", "medium",
      "Use AI for personalized recommendations and targeted marketing"),
    T("supply_chain", "market", ("库存", "存货", "供应链", "仓储", "物流"), "3-6", "medium",
      "Use AI for demand forecasting, inventory and supply-chain management"),
    T("service", "market", ("客服", "聊天机器人", "客户服务"), "3-6", "medium",
      "Deploy AI customer service and chatbots for round-the-clock support"),
    T("manufacturing", "market", ("设备故障", "智能运维", "生产流程", "生产线", "质量管控", "排产"), "3-6",
      "medium", "Pilot predictive maintenance and real-time monitoring of manufacturing production"),
    T("automation", "market", ("自动化", "重复性"), "3-6", "medium",
      "Automate repetitive processes first to reduce labor cost"),
    T("analytics", "market", ("数据分析", "洞察", "趋势预测", "市场细分", "用户偏好"), "3-6", "medium",
      "Use AI to analyse market trends, customer data and user preferences"),
    T("trust", "market", ("信任", "服务质量", "人性化"), "3-6", "medium",
      "Earn user trust through service quality and human-friendly interaction"),
    T("scale", "market", ("扩大", "推广", "规模", "生态"), "6-12", "medium",
      "Scale proven use cases across the business"),
)  # fmt: skip


def matching_topics(sentence: str, area: Area | None = None) -> list[Topic]:
    """Topics whose triggers the sentence's main clauses mention, best first.

    Purpose clauses ('为了解决人才不足的问题，…') are ignored: they name the problem, not the
    action. Topics of `area` rank first, then by trigger hits, then by their order (most
    specific first); other areas remain as a fallback so that a security sentence found by
    the org specialist still renders sensibly.
    """
    text = PURPOSE.sub("", sentence) or sentence
    scored = []
    for order, topic in enumerate(TOPICS):
        hits = sum(1 for t in topic.triggers if t in text)
        if hits:
            scored.append((area is None or topic.area == area, hits, -order, topic))
    scored.sort(key=lambda x: x[:3], reverse=True)
    return [t for *_, t in scored]


def match_topic(sentence: str, area: Area | None = None) -> Topic | None:
    found = matching_topics(sentence, area)
    return found[0] if found else None
