"""A small English -> Chinese glossary of the AI-adoption domain, for offline cross-lingual search.

The corpus is Chinese and the offline embedder is lexical, so an English question shares no token
with the passages that answer it. Appending the Chinese domain terms of the English words lets
both BM25 and the hashing embedder find them without a translation model. The verifier reuses
GLOSSARY to match English claims against Chinese evidence.
"""

from __future__ import annotations

import re

GLOSSARY: dict[str, list[str]] = {
    # security, privacy and governance
    "permission": ["权限"],
    "access control": ["访问控制", "权限"],
    "access": ["访问", "权限"],
    "authorization": ["授权", "权限"],
    "authentication": ["认证", "身份验证"],
    "identity": ["身份"],
    "role": ["角色"],
    "encrypt": ["加密"],
    "encryption": ["加密"],
    "audit": ["审计"],
    "security": ["安全"],
    "secure": ["安全"],
    "data security": ["数据安全"],
    "data protection": ["数据保护"],
    "privacy": ["隐私"],
    "private": ["隐私", "私有"],
    "leak": ["泄露"],
    "breach": ["泄露"],
    "sensitive": ["敏感"],
    "compliance": ["合规"],
    "compliant": ["合规"],
    "regulation": ["法规", "监管"],
    "regulatory": ["法规", "监管"],
    "law": ["法律"],
    "governance": ["治理"],
    "ethics": ["伦理", "道德"],
    "ethical": ["伦理", "道德"],
    "transparency": ["透明"],
    "bias": ["偏见"],
    "trust": ["信任"],
    "risk": ["风险"],
    "anomaly detection": ["异常检测"],
    "monitor": ["监控"],
    "monitoring": ["监控"],
    "backup": ["备份"],
    "storage": ["存储"],
    "copyright": ["版权"],
    "intellectual property": ["知识产权"],
    "third party": ["第三方"],
    # technology and integration
    "integration": ["整合", "集成"],
    "integrate": ["整合", "集成"],
    "compatibility": ["兼容"],
    "compatible": ["兼容"],
    "legacy system": ["现有系统", "传统系统"],
    "infrastructure": ["基础设施"],
    "architecture": ["架构"],
    "scalability": ["可扩展", "扩展性"],
    "performance": ["性能"],
    "latency": ["延迟"],
    "maintenance": ["维护"],
    "upgrade": ["升级", "更新"],
    "deploy": ["部署"],
    "deployment": ["部署"],
    "on-premise": ["私有化部署", "本地部署"],
    "cloud": ["云服务", "云"],
    "api": ["API", "接口"],
    "sdk": ["SDK"],
    "model": ["模型"],
    "large language model": ["大模型", "大语言模型"],
    "llm": ["大模型", "大语言模型"],
    "generative ai": ["生成式", "AIGC"],
    "agent": ["智能体", "Agent"],
    "multimodal": ["多模态"],
    "reasoning": ["推理"],
    "inference": ["推理"],
    "computing power": ["算力"],
    "compute": ["算力"],
    "chip": ["芯片"],
    "open source": ["开源"],
    "fine-tuning": ["微调"],
    "algorithm": ["算法"],
    "automation": ["自动化"],
    "automate": ["自动化"],
    "chatbot": ["聊天机器人", "智能客服"],
    "instant messaging": ["即时通讯", "IM"],
    "knowledge base": ["知识库"],
    "data": ["数据"],
    "data analysis": ["数据分析"],
    "analytics": ["分析"],
    "insight": ["洞察"],
    "forecast": ["预测"],
    "prediction": ["预测"],
    "recommendation": ["推荐"],
    "personalization": ["个性化"],
    "accuracy": ["准确"],
    "technical barrier": ["技术壁垒"],
    "barrier": ["壁垒", "障碍"],
    # organisation and people
    "talent": ["人才"],
    "skill": ["技能", "素养"],
    "training": ["培训", "训练"],
    "hiring": ["招聘", "引进人才"],
    "recruit": ["招聘", "引进人才"],
    "shortage": ["短缺"],
    "employee": ["员工"],
    "team": ["团队"],
    "organization": ["组织"],
    "organisation": ["组织"],
    "management": ["管理"],
    "leadership": ["领导"],
    "culture": ["文化"],
    "change management": ["变革管理"],
    "collaboration": ["协同", "协作"],
    "cross-functional": ["跨职能", "跨部门"],
    "department": ["部门"],
    "outsourcing": ["外包"],
    "partner": ["合作"],
    "university": ["高校"],
    # business, market and value
    "roi": ["投资回报", "投入产出"],
    "return on investment": ["投资回报", "投入产出"],
    "investment": ["投资", "投入"],
    "cost": ["成本"],
    "budget": ["预算"],
    "efficiency": ["效率"],
    "productivity": ["效率", "生产力"],
    "revenue": ["收入"],
    "growth": ["增长"],
    "sales": ["销售"],
    "marketing": ["营销"],
    "operations": ["运营"],
    "operational": ["运营"],
    "market": ["市场"],
    "market demand": ["市场需求"],
    "competition": ["竞争"],
    "competitive": ["竞争"],
    "strategy": ["战略", "策略"],
    "roadmap": ["规划", "路线"],
    "pilot": ["试点"],
    "adoption": ["落地", "应用"],
    "adopt": ["落地", "应用"],
    "implementation": ["实施", "落地"],
    "implement": ["实施", "落地"],
    "challenge": ["挑战"],
    "solution": ["解决方案"],
    "use case": ["应用场景", "场景"],
    "scenario": ["场景"],
    "digital transformation": ["数字化转型"],
    "trend": ["趋势"],
    "industry": ["行业", "产业"],
    "customer service": ["客服", "客户服务"],
    "customer": ["客户"],
    "user experience": ["用户体验"],
    "user": ["用户"],
    "satisfaction": ["满意度"],
    "response time": ["响应速度", "响应时间"],
    "crm": ["客户关系管理", "CRM"],
    "manufacturing": ["制造"],
    "retail": ["零售"],
    "finance": ["金融", "财务"],
    "healthcare": ["医疗"],
    "education": ["教育"],
    "vendor": ["供应商", "服务商"],
    "supply chain": ["供应链"],
}

# Inflections that still mean the glossary word: "deploying", "permissions", "audited".
_SUFFIX = r"(?:s|es|ed|d|ing|ment|ments)?"


def _phrase_pattern(term: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s\-]+", term)]
    return r"[\s\-]+".join(words)


# Longest terms first, so "access control" wins over "access" at the same position.
_PATTERN = re.compile(
    r"\b("
    + "|".join(_phrase_pattern(t) for t in sorted(GLOSSARY, key=len, reverse=True))
    + r")"
    + _SUFFIX
    + r"\b",
    re.IGNORECASE,
)
_CANONICAL = {re.sub(r"[\s\-]+", " ", t): t for t in GLOSSARY}


def glossary_terms(text: str) -> list[str]:
    """Chinese terms for the glossary words found in `text`, in order of appearance, deduplicated."""
    terms: list[str] = []
    for match in _PATTERN.finditer(text):
        key = _CANONICAL[re.sub(r"[\s\-]+", " ", match.group(1).lower())]
        terms.extend(t for t in GLOSSARY[key] if t not in terms)
    return terms


def expand_query(query: str) -> str:
    """The query followed by the Chinese domain terms of its English words (unchanged if none)."""
    terms = [t for t in glossary_terms(query) if t not in query]
    return f"{query} {' '.join(terms)}" if terms else query
