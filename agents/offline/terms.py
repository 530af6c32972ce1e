"""English-to-Chinese concept map and the metric lexicon.

TERM_MAP lets the lexical judge check an English statement against a Chinese passage: each
English concept names the Chinese words that would express it. It complements the shared
GLOSSARY (glossary.py) with the phrases the offline English templates use, so every template
sentence stays checkable. METRICS turns metric language in evidence into named KPIs.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.state import Area

TERM_MAP: dict[str, tuple[str, ...]] = {
    "access control": ("访问控制", "权限"), "permission": ("权限",), "permissions": ("权限",),
    "encrypt": ("加密",), "encryption": ("加密",), "audit": ("审计",), "audits": ("审计",),
    "laws": ("法律", "法规"), "regulations": ("法规", "法律"), "gdpr": ("GDPR",), "legal": ("法律",),
    "compliance": ("合规",), "compliant": ("合规",), "privacy": ("隐私",), "private": ("隐私",),
    "security": ("安全",), "risk": ("风险",), "risks": ("风险",), "leak": ("泄露",), "leaks": ("泄露",),
    "misuse": ("滥用",), "sensitive": ("敏感",), "users": ("用户",), "user": ("用户",),
    "customer": ("客户",), "customers": ("客户",), "data": ("数据",), "rights": ("权利",),
    "kept": ("保留期限",), "used for": ("使用目的",), "security assessments": ("安全评估",),
    "vulnerability": ("漏洞",), "third-party": ("第三方",), "anomaly detection": ("异常检测",),
    "monitor": ("监控", "监测", "监控"), "monitoring": ("监控", "监测"), "alerts": ("警报",),
    "suspicious": ("可疑",), "ethics": ("伦理",), "accountability": ("责任",), "adversarial": ("对抗",),
    "tampering": ("篡改",), "hallucinate": ("幻觉",), "hallucinations": ("幻觉",),
    "awareness": ("意识",), "rules": ("规范", "机制", "规则"), "review": ("审核", "评估"),
    "training": ("培训",), "train": ("培训",), "workshops": ("工作坊",), "literacy": ("素养",),
    "skills": ("技能",), "talent": ("人才",), "hire": ("引进", "招聘"), "employees": ("员工",),
    "staff": ("员工",), "universities": ("高校",), "research institutes": ("科研机构",),
    "internships": ("实习",), "outsource": ("外包",), "career paths": ("职业发展", "发展通道"),
    "cross-functional": ("跨职能", "跨部门"), "department": ("部门",), "team": ("团队",),
    "budget": ("预算",), "management": ("管理层", "管理"), "tools": ("工具",),
    "human-ai collaboration": ("人机协同",), "roles": ("角色", "岗位"), "structure": ("架构", "结构"),
    "data-driven": ("数据驱动",), "culture": ("文化",), "continuous learning": ("持续学习",),
    "reskilling": ("再培训", "转型"), "replaced": ("替代",), "coordination": ("协调", "协同"),
    "strategy": ("战略", "策略"), "priorities": ("优先级",), "processes": ("流程",),
    "feedback": ("反馈",), "market research": ("市场调研",), "market": ("市场",), "agile": ("敏捷",),
    "iterative": ("迭代",), "customer service": ("客服", "客户服务"), "chatbots": ("聊天机器人",),
    "round-the-clock": ("全天候", "24/7"), "automate": ("自动化",), "repetitive": ("重复",),
    "labor cost": ("人工成本",), "predictive maintenance": ("预测设备故障", "智能运维"),
    "production": ("生产",), "analytics": ("数据分析",), "insight": ("洞察",), "forecasting": ("预测",),
    "cost-benefit": ("成本效益",), "roi": ("投资回报", "ROI", "投入产出"), "metrics": ("指标",),
    "quantifiable": ("量化",), "quantify": ("量化",), "value": ("价值",), "cost": ("成本",),
    "integrate": ("集成", "整合"), "integrating": ("集成", "整合"), "integration": ("集成", "整合"),
    "existing systems": ("现有系统", "已有", "现有"), "apis": ("API", "接口"), "api": ("API", "接口"),
    "sdks": ("SDK",), "crm": ("CRM", "客户管理"), "call center": ("呼叫中心",),
    "infrastructure": ("基础设施",), "architecture": ("架构",), "data silos": ("数据孤岛",),
    "unified data view": ("统一的数据视图",), "scattered": ("分散",), "data quality": ("数据质量",),
    "cleanse": ("清洗",), "standardize": ("标准化",), "validate": ("验证",), "model": ("模型",),
    "models": ("模型",), "maintain": ("维护",), "maintenance": ("维护",),
    "migration": ("迁移",), "synchronization": ("同步",),
    "updates": ("更新",), "compatibility": ("兼容",), "update": ("更新",),
    "dedicated team": ("专职团队",), "vendors": ("供应商",), "partners": ("合作伙伴", "合作"),
    "proprietary data": ("专有数据",), "corpora": ("语料",), "inference cost": ("推理成本",),
    "compressed": ("压缩",), "distilled": ("蒸馏",), "compute": ("算力",), "rpa": ("RPA",),
    "digital employees": ("数字员工",), "trust": ("信任",), "service quality": ("服务质量",),
    "scale": ("扩大", "规模", "推广"), "use cases": ("用例", "场景", "应用"),
    "scenarios": ("场景",), "business value": ("业务价值", "价值"), "satisfaction": ("满意度",),
    "response time": ("响应时间",), "efficiency": ("效率",), "productivity": ("生产率", "生产效率"),
    "error rate": ("错误率",), "sales": ("销售",), "inventory turnover": ("库存周转率",),
    "loyalty": ("忠诚度",), "retention": ("留存",), "accuracy": ("准确性", "精度", "准确率"),
    "recall": ("召回率",), "operating cost": ("成本",), "product quality": ("产品质量",),
    "shortage": ("短缺", "不足", "匮乏", "缺乏"), "challenge": ("挑战",), "obstacle": ("障碍",),
    "hurdle": ("难题", "挑战", "障碍"), "complex": ("复杂",), "long-term": ("长期",),
    "hype": ("跟风",), "analyse": ("分析",), "market trends": ("市场趋势",),
    "user preferences": ("用户偏好",), "customer data": ("客户数据", "用户数据"),
    "essential": ("至关重要", "重要"),
    "demand": ("需求",), "adaptation": ("适应",), "support": ("支持",),
    "compatible": ("兼容",), "legacy": ("现有", "已有", "传统"), "personalized": ("个性化",),
    "recommendations": ("推荐",), "targeted marketing": ("精准营销", "营销"), "marketing": ("营销",),
    "retailer": ("零售",), "retail": ("零售",), "inventory": ("库存", "存货"),
    "supply-chain": ("供应链",), "supply chain": ("供应链",), "demand forecasting": ("预测", "需求"),
    "manufacturer": ("制造",), "manufacturers": ("制造",), "manufacturing": ("制造",),
    "equipment failure": ("设备故障",), "equipment failures": ("设备故障",), "predict": ("预测",),
    "customer feedback": ("客户反馈", "用户反馈", "反馈"), "content creation": ("内容创作", "内容生产"),
}  # fmt: skip


@dataclass(frozen=True)
class Metric:
    """A family of metrics; `terms` pairs each Chinese wording with its English KPI name."""

    key: str
    area: Area
    terms: tuple[tuple[str, str], ...]
    reading_zh: str
    reading_en: str

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(zh for zh, _ in self.terms)


M = Metric
ROI = "Return on investment (ROI)"
METRICS: tuple[Metric, ...] = (
    M("csat", "market", (("客户满意度", "Customer satisfaction"), ("用户满意度", "User satisfaction"),
                         ("满意度", "Customer satisfaction")),
      "以上线前为基线，按月跟踪", "Baseline before rollout, then track monthly"),
    M("response", "market", (("响应时间", "Response time"), ("响应速度", "Response time")),
      "越短越好，对比上线前", "Lower is better; compare with pre-AI levels"),
    M("roi", "market", (("投资回报率", ROI), ("投资回报", ROI), ("投入产出比", ROI), ("ROI", ROI)),
      "按项目季度复盘，含长期价值", "Review per project each quarter"),
    M("labor", "market", (("人工成本", "Labor cost"),), "对比自动化前后",
      "Compare before and after automation"),
    M("cost", "market", (("运营成本", "Operating cost"), ("仓储成本", "Warehousing cost"),
                         ("运输成本", "Transport cost"), ("实施成本", "Implementation cost"),
                         ("开发成本", "Development cost"), ("维护成本", "Maintenance cost")),
      "按流程对比上线前后", "Compare per process before and after"),
    M("efficiency", "market", (("运营效率", "Operational efficiency"), ("生产效率", "Production efficiency"),
                               ("工作效率", "Work efficiency"), ("审批效率", "Approval efficiency"),
                               ("研发效率", "R&D efficiency")),
      "选取关键流程，以上线前为基线", "Pick key processes; baseline before rollout"),
    M("productivity", "market", (("生产率", "Productivity"),), "以上线前为基线", "Baseline before rollout"),
    M("errors", "market", (("错误率", "Error rate"),), "越低越好", "Lower is better"),
    M("sales", "market", (("销售转化率", "Sales conversion rate"), ("销售额", "Sales"), ("销售业绩", "Sales"),
                          ("转化率", "Conversion rate"), ("销售增长", "Sales growth")),
      "按渠道对比", "Compare by channel"),
    M("inventory", "market", (("库存周转率", "Inventory turnover"),), "越高越好", "Higher is better"),
    M("loyalty", "market", (("客户忠诚度", "Customer loyalty"), ("忠诚度", "Customer loyalty"),
                            ("留存", "Retention")),
      "按季度跟踪", "Track quarterly"),
    M("model_quality", "tech", (("准确率", "Model accuracy"), ("召回率", "Model recall"),
                                ("准确性", "Model accuracy")),
      "按业务场景设定阈值", "Set thresholds per use case"),
    M("quality", "market", (("产品质量", "Product quality"), ("服务质量", "Service quality")),
      "以上线前为基线", "Baseline before rollout"),
    M("leaks", "security", (("数据泄露事件", "Data leak incidents"), ("数据泄露", "Data leak incidents")),
      "目标为零，按季度审计", "Target zero; audit quarterly"),
)  # fmt: skip

# English KPI names are concepts too, so the judge can check them against the Chinese term.
for _metric in METRICS:
    for _zh, _en in _metric.terms:
        TERM_MAP[_en.lower()] = (*TERM_MAP.get(_en.lower(), ()), _zh)


def match_metric(sentence: str) -> Metric | None:
    for metric in METRICS:
        if any(t in sentence for t in metric.triggers):
            return metric
    return None


def metric_name(metric: Metric, sentence: str, language: str) -> str:
    """The KPI name as the evidence words it (Chinese) or its paired English name."""
    zh, en = next(((zh, en) for zh, en in metric.terms if zh in sentence), metric.terms[0])
    return zh if language == "zh" else en
