"""What a question asks for becomes facets, junk words do not, and every facet is cited or a gap."""

from __future__ import annotations

from agents.offline.coverage import addresses, coverage
from agents.offline.facet_answers import facet_answers
from agents.offline.facets import QuestionFacet, find_facets
from agents.offline.setting import setting_of
from agents.state import Evidence, Language

LAW_FIRM = (
    "Our law firm of 60 lawyers wants to use generative AI for contract drafting, "
    "but client confidentiality is critical. What should we do?"
)
TRIAGE = (
    "What are the main obstacles for a mid-sized hospital group moving an AI triage pilot into production, "
    "and how do we measure success?"
)
FOOD = "我们是一家800人的食品加工企业，想在18个月内用AI做需求预测和排产，数据分散在ERP和Excel里，怎么开始？"
TRIAGE_ROW = "\t公共卫生防疫\t导诊/分诊\tAI+医学影像\t精准医疗\t病历录入/智慧病案\t医保支付"
NEIGHBOUR_ROW = "零售\t体检\tAI+病理诊断\t辅助诊断\t医疗机器人\t药物检索\t用药指导\t健康管理"


def _facets(question: str, language: Language) -> list[QuestionFacet]:
    return find_facets(question, language)


def test_function_words_verbs_and_mis_cuts_are_no_facets() -> None:
    values = {f.value for f in _facets(LAW_FIRM, "en") + _facets(TRIAGE, "en")}
    assert not values & {"wants", "moving", "place", "must", "critical", "group", "main"}
    assert not _facets("What must be in place before a level-2 AI application goes live?", "en")
    assert "内用" not in {f.value for f in _facets(FOOD, "zh")}  # '在18个月内用AI' is cut before topics


def test_use_cases_are_the_object_of_the_ai_verb_in_both_languages() -> None:
    zh = {f.value: f.evidence for f in _facets(FOOD, "zh") if f.kind == "use_case"}
    assert set(zh) == {"需求预测", "排产"}
    law_firm = _facets("我们是一家律师事务所，想用AI做合同审查和法律检索", "zh")
    law = {f.value for f in law_firm if f.kind == "use_case"}
    assert law == {"合同审查", "法律检索"}  # 合同 and 审查 are everyday words that TF-IDF drops
    triage = {f.value: f.evidence for f in _facets(TRIAGE, "en") if f.kind == "use_case"}
    assert {"分诊", "导诊"} <= set(triage["triage"])  # the translation the documents would use


def test_a_law_firm_question_cited_with_generic_security_names_its_gaps() -> None:
    facets = _facets(LAW_FIRM, "en")
    cited = ["实施严格的数据访问控制和加密措施，以防止数据泄露。"]
    states, gaps = coverage(facets, cited, cited, "en", in_corpus=lambda w: w in "".join(cited))
    assert not any(f.covered for f in states if f.kind in ("industry", "use_case"))
    joined = "\n".join(gaps)
    assert "law firm" in joined and "contract drafting" in joined


def test_a_healthcare_row_without_triage_does_not_cover_the_triage_use_case() -> None:
    triage = [f for f in _facets(TRIAGE, "en") if f.kind == "use_case"]
    states, gaps = coverage(triage, [NEIGHBOUR_ROW], [], "en")
    assert not states[0].covered and "triage" in gaps[0]
    states, gaps = coverage(triage, [TRIAGE_ROW], [], "en")
    assert states[0].covered and not gaps


def test_english_subject_words_the_corpus_lacks_become_gaps() -> None:
    facets = _facets("A regional airline wants AI demand forecasting for ticket pricing.", "en")
    _, gaps = coverage(facets, [], [], "en", in_corpus=lambda w: False)
    joined = "\n".join(gaps)
    assert "airline" in joined and "demand forecasting" in joined and "需求预测" in joined


def test_the_passage_naming_the_use_case_is_cited_not_its_neighbour() -> None:
    question = "一家医院想用AI做分诊，需要注意什么？"
    facets = [f for f in _facets(question, "zh") if f.kind == "use_case"]
    evidence = [
        Evidence(chunk_id="a", score=0.9, source="r.txt", title="r", text=NEIGHBOUR_ROW),
        Evidence(chunk_id="b", score=0.1, source="r.txt", title="r", text=TRIAGE_ROW),
    ]
    claims = facet_answers(facets, evidence, [], question, setting_of(question, "zh"), "zh")
    assert [c.evidence_ids for c in claims] == [["b"]]
    assert not facet_answers(facets, evidence[:1], [], question, setting_of(question, "zh"), "zh")


def test_a_headcount_of_any_profession_is_a_size() -> None:
    sizes = {
        f.value
        for f in _facets(LAW_FIRM, "en") + _facets("我们有60名律师，想用AI做合同审查", "zh")
        if f.kind == "size"
    }
    assert sizes == {"60 lawyers", "60名律师"}
    assert not [
        f for f in _facets("We want a roadmap with 12 months of milestones", "en") if f.kind == "size"
    ]


def test_a_request_for_a_number_is_answered_only_by_a_quote_with_one() -> None:
    facets = [f for f in _facets("制度对AI项目有什么目标？多久能收回投资？", "zh") if f.kind == "figures"]
    assert facets and facets[0].value == "多久能收回投资"
    _, gaps = coverage(facets, ["项目应当评估投资的预期收益。"], [], "zh")
    assert gaps and "收回投资" in gaps[0]  # no figure: the documents cannot say how long
    _, gaps = coverage(facets, ["项目的投资一般在3年内收回。"], [], "zh")
    assert not gaps
    english = [
        f
        for f in _facets("How many hours of AI training must employees attend?", "en")
        if f.kind == "figures"
    ]
    _, gaps = coverage(english, ["全体员工每年应当参加不少于4小时的培训。"], [], "en")
    assert english and not gaps
    # a word's first dictionary sense may be the wrong one ('logs' 原木): its second counts too
    logs = [f for f in _facets("How long must we keep AI logs?", "en") if f.kind == "figures"]
    _, gaps = coverage(logs, ["第二十七条 人工智能应用的操作日志应当保存不少于180日。"], [], "en")
    assert logs and not gaps
    _, gaps = coverage(logs, ["第二十七条 人工智能应用的操作日志应当妥善保存。"], [], "en")
    assert gaps  # no figure, no answer


def test_a_small_team_gets_the_outsourcing_advice_of_an_article_on_another_use_case() -> None:
    question = "一家连锁药店想用AI做库存补货，没有专门的IT团队，怎么落地？"
    facets = [f for f in _facets(question, "zh") if f.kind == "team"]
    advice = "如果企业内部培训无法满足需求，考虑外包某些技术项目也是一种解决方案。"
    evidence = [
        Evidence(chunk_id="a", score=0.5, source="c.txt", title="实施AI客服的挑战与解决方案", text=advice)
    ]
    claims = facet_answers(facets, evidence, [], question, setting_of(question, "zh"), "zh")
    assert [c.quote for c in claims] == [advice]


def test_an_english_use_case_read_word_by_word_needs_each_word() -> None:
    question = "A logistics company wants to use AI for route planning within 12 months."
    use = next(f for f in _facets(question, "en") if f.kind == "use_case")
    assert use.value == "route planning"
    assert not addresses(use, "美术设计、内容策划、游戏开发与测试")  # 策划 alone is another planning


def test_words_that_only_count_or_order_things_are_no_subject() -> None:
    question = "Our hospital wants AI to cut outpatient waiting times. Which steps should we outsource?"
    values = {f.value.lower() for f in _facets(question, "en")}
    assert not values & {"times", "steps"}  # not 时报 nor 台阶 in the gaps


def test_a_list_opener_alone_answers_no_facet() -> None:
    question = "我们想用AI做合同审查，需要注意什么？"
    facets = [f for f in _facets(question, "zh") if f.kind == "use_case"]
    opener = "第三十条 与供应商签订的合同审查应当明确以下内容："
    evidence = [Evidence(chunk_id="a", score=0.9, source="p.md", title="制度", text=opener)]
    assert facets and not facet_answers(facets, evidence, [], question, setting_of(question, "zh"), "zh")


def test_a_row_of_product_names_and_a_scene_topic_answer_no_facet() -> None:
    """'…to a generative AI assistant for dispatchers. With a small IT team, what security controls…?'
    led its summary with a roll of product names (钉钉AI助理) and a sentence on growing a data team."""
    question = (
        "We connect customer records to an AI assistant. With a small IT team, what controls do we need?"
    )
    facets = [f for f in _facets(question, "en") if f.kind in ("use_case", "topic")]
    roll = "面壁智能 ModelBest ChatDEV\t钉钉 钉钉AI助理\t华盟·税纪云\tBeisen 北森 AI Family\tBlueFocus BlueAI"
    team = "另一方面会积极引进外部的数据专业人才，充实企业的数据团队。"
    evidence = [
        Evidence(chunk_id=c, score=0.5, source="r.txt", title="r", text=t)
        for c, t in (("a", roll), ("b", team))
    ]
    setting = setting_of(question, "en")
    assert {"助理", "团队"} <= {w for f in facets for w in f.evidence}
    assert not facet_answers(facets, evidence, [], question, setting, "en", frozenset({"团队", "助理"}))
    assert [c.evidence_ids for c in facet_answers(facets, evidence, [], question, setting, "en")] == [["b"]]


def test_one_condition_of_an_article_s_list_answers_no_facet() -> None:
    """'委托处理个人信息、向其他处理者提供个人信息或者公开个人信息；' (one condition of an article's list)
    led an English summary: no subject, no rule, only the partner the question named."""
    article = (
        "第二十四条 有下列情形之一的，处理者应当事前进行个人信息保护影响评估，并对处理情况进行记录：处理"
        "敏感个人信息；利用个人信息进行自动化决策；委托处理个人信息、向其他处理者提供个人信息或者公开个人"
        "信息；向境外提供个人信息；其他对个人权益有重大影响的处理活动。"
    )
    question = (
        "If we share our customer list with a partner company, what do we need from our customers first?"
    )
    facets = [f for f in _facets(question, "en") if f.kind == "topic"]
    evidence = [Evidence(chunk_id="a", score=0.5, source="r.md", title="r", text=article)]
    claims = facet_answers(facets, evidence, [], question, setting_of(question, "en"), "en")
    assert not [c for c in claims if c.quote.rstrip().endswith("；")]


def test_a_missing_system_points_to_integration_steps_only_when_the_roadmap_has_one() -> None:
    """'资料没有提到TMS；与现有系统集成的一般做法见路线图' over a roadmap with no integration step sent
    the reader to look for something that was not there."""
    facets = [
        f
        for f in find_facets("我们调度靠一套老TMS系统，想用AI做路径优化，怎么落地？", "zh")
        if f.kind == "system"
    ]
    _, bare = coverage(facets, [], [], "zh", steps=["建立跨职能的AI项目团队。"])
    assert bare and "见路线图" not in bare[0] and "TMS" in bare[0]
    _, pointed = coverage(
        facets, [], [], "zh", steps=["关注现有技术与AI解决方案的兼容性，将AI功能集成到已有平台。"]
    )
    assert pointed and "见路线图" in pointed[0]


def test_an_english_word_the_dictionary_only_guesses_at_is_no_gap() -> None:
    """'pupils' (瞳孔 first) and 'running' (营运) were shown as subjects the documents do not cover."""
    question = "Our school wants an AI tutor, still running old servers. The data includes pupils' grades."
    topics = [
        f for f in find_facets(question, "en") if f.kind == "topic" and f.value in ("pupils", "running")
    ]
    assert topics
    _, gaps = coverage(topics, [], [], "en", in_corpus=lambda w: False)
    assert not any("pupils" in g or "running" in g for g in gaps), gaps


def test_a_use_case_is_its_job_not_one_rare_word_of_it() -> None:
    """'温控异常预警' was cut to 温控, and a smart home's '智能温控系统自动调节室内温度' answered a cold-chain
    company's temperature alerts."""
    question = "我们是一家冷链物流公司，想用AI做路径优化和温控异常预警，该怎么落地？"
    (alert,) = [f for f in find_facets(question, "zh") if f.kind == "use_case" and "温控" in f.value]
    assert alert.value == "温控异常预警"
    assert not addresses(alert, "这些硬件依据分析结果做出反应，如智能温控系统自动调节室内温度。")
    assert addresses(alert, "冷藏车温控数据异常时，系统自动预警。")
    # a channel noun still trails off the job: '处理业主报修电话' asks for 报修
    assert [f.value for f in find_facets("物业公司想用AI处理业主报修电话", "zh") if f.kind == "use_case"] == [
        "业主报修"
    ]


def test_a_budget_is_answered_by_its_own_tier_shown_under_its_columns() -> None:
    """A 260万 project's budget was answered by '不超过10万元的小额试用经费', and a table row was shown
    with its Markdown pipes."""
    table = (
        "| 情形 | 审核 | 审批 | 备案 |\n| --- | --- | --- | --- |\n"
        "| 一级应用且预算50万元以下 | 应用单位 | 应用单位负责人 | 信息技术部 |\n"
        "| 二级应用，或者预算50万元（含）至500万元 | 信息技术部 | 分管副总裁 | 管委会 |\n"
    )
    trial = "第五十二条 各单位可以在年度预算内安排不超过10万元的小额试用经费，用于一级应用的试用评估。"
    evidence = [
        Evidence(score=1.0, chunk_id="t", source="p.md", title="制度", text=trial),
        Evidence(score=0.9, chunk_id="a", source="p.md", title="制度", text=table),
    ]
    question = "The budget is RMB 2.6 million. Who approves it?"
    facets = [f for f in find_facets(question, "en") if f.kind == "budget"]
    claims = facet_answers(facets, evidence, [], question, setting_of(question, "en"), "en")
    assert [c.evidence_ids for c in claims] == [["a"]]
    assert claims[0].text.startswith(
        "二级应用，或者预算50万元（含）至500万元（审核：信息技术部；审批：分管副总裁"
    )
    assert claims[0].quote and claims[0].quote.startswith("| 二级应用")  # the quote stays verbatim


def test_a_use_case_named_by_a_known_cue_is_found_by_the_documents_words_for_it() -> None:
    """'客服热线的智能应答' was said to be missing from a corpus with a whole article on AI customer
    service, which never writes 客服热线."""
    question = "我们是一家城市燃气公司，想用AI做管网巡检图片的隐患识别和客服热线的智能应答，怎么做？"
    (hotline,) = [f for f in find_facets(question, "zh") if f.kind == "use_case" and "客服" in f.value]
    assert addresses(hotline, "引入AI客服的过程中，技术整合是首要的挑战。")
    (inspection,) = [f for f in find_facets(question, "zh") if f.value == "管网巡检"]
    assert not addresses(inspection, "引入AI客服的过程中，技术整合是首要的挑战。")


def test_a_budget_for_staff_is_a_hiring_freeze_not_the_cost_of_ai() -> None:
    kinds = {f.kind for f in _facets("We have no budget for new hires this year. How do we adopt AI?", "en")}
    assert "budget" not in kinds
    assert "budget" not in {f.kind for f in _facets("我们今年没有招聘预算，怎么推进AI？", "zh")}
    assert "budget" in {f.kind for f in _facets("Our budget is tight. How do we adopt AI?", "en")}
    assert "budget" in {f.kind for f in _facets("预算只有50万元，怎么推进AI？", "zh")}


def test_customer_contact_details_are_customer_data() -> None:
    question = "我们想调用一家境外大模型云服务做客服，会把客户订单和手机号发给它，要走哪些流程？"
    data = [f for f in _facets(question, "zh") if f.kind == "data"]
    assert data and data[0].evidence == ("客户",)  # protecting the customers' data, not 'orders'
    assert addresses(data[0], "L3敏感数据包括客户个人信息，不得输入外部公共人工智能服务。")


ARTICLE_WITH_PROVISO = (
    "第二十四条 处理客户个人信息的人工智能应用，应当遵循合法、正当、必要的原则。\n\n"
    "第二十五条 人工智能应用处理的L3、L4数据，应当存储在中华人民共和国境内的集团数据中心。"
    "确需向境外提供的，应当事先经数据管理部、风险合规部和法务部评估。"
)


def test_an_exception_is_quoted_with_the_rule_it_qualifies() -> None:
    question = "我们想把客户数据发给一家境外的大模型云服务，可以吗？"
    facets = [f for f in _facets(question, "zh") if f.kind == "residency"]
    evidence = [Evidence(chunk_id="a", score=0.9, source="p.md", title="制度", text=ARTICLE_WITH_PROVISO)]
    claims = facet_answers(facets, evidence, [], question, setting_of(question, "zh"), "zh")
    assert claims and claims[0].quote.startswith("第二十五条 人工智能应用处理的L3、L4数据，应当存储在")
    assert claims[0].quote.endswith("法务部评估。")  # the whole article: the exception with its rule
