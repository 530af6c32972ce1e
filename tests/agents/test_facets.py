"""Question facets, the gaps they leave, and the roadmap's shape (pure functions, no store)."""

from __future__ import annotations

import pytest

from agents.offline import roadmap
from agents.offline.coverage import addresses, coverage
from agents.offline.facets import find_facets, horizon_months, named_industries
from agents.offline.first_steps import first_steps
from agents.offline.setting import setting_of
from agents.state import AdoptionPlan, PlanAction, PlanPhase

HOSPITAL = (
    "我们是一家三甲医院，IT团队只有3人，患者数据不能出境，想在一年内上线AI导诊，预算50万元以内，该怎么做？"
)
BANK_EN = (
    "We are a 300-person bank with a 5-person IT team. How do we use AI for credit review "
    "without data leaving China? Budget RMB 2 million."
)


def _kinds(question: str, language: str = "zh") -> dict[str, str]:
    return {f.kind: f.value for f in find_facets(question, language)}  # type: ignore[arg-type]


def test_a_constrained_question_yields_each_of_its_constraints() -> None:
    facets = _kinds(HOSPITAL)
    assert facets["industry"] == "医院"  # as the question names it, not the industry's label
    assert facets["team"] == "IT团队只有3人"
    assert facets["budget"] == "50万元"
    assert facets["residency"] == "出境"
    assert facets["data"] == "患者数据"
    assert facets["use_case"] == "导诊"  # the object of the AI verb (上线AI导诊)


def test_english_constraints_are_found_too() -> None:
    facets = _kinds(BANK_EN, "en")
    assert facets["industry"] == "bank"
    assert facets["team"] == "5-person IT team"
    assert facets["budget"] == "RMB 2 million"
    assert facets["residency"] == "leaving China"


def test_horizons_are_read_in_months() -> None:
    assert horizon_months("我们的三年规划") == 36
    assert horizon_months("未来3-5年的大模型应用规划") == 60
    assert horizon_months("18个月内完成") == 18
    assert horizon_months("a three-year roadmap") == 36
    assert horizon_months("请给出建议") is None
    assert horizon_months("What's a realistic first quarter?") == 3
    assert horizon_months("第一季度先做什么？") == horizon_months("前三个月怎么做？") == 3
    assert horizon_months("our first 90 days") == 3


def test_a_short_horizon_gets_month_spans_of_its_own() -> None:
    assert [p.id for p in roadmap.phases(3, "zh")] == ["0-1", "1-3"]
    assert [p.id for p in roadmap.phases(6, "en")] == ["0-1", "1-3", "3-6"]
    assert [p.id for p in roadmap.phases(12, "zh")] == ["0-3", "3-6", "6-12"]


def test_industries_named_by_questions_and_by_evidence() -> None:
    assert named_industries("我们是一家连锁超市") == {"retail"}
    hospital = setting_of("一家三甲医院想上线AI辅助诊断", "zh")
    assert hospital.foreign("流媒体平台开始发力原创音乐生态")  # another industry
    assert not hospital.foreign("企业应建立数据安全制度")  # general practice


def test_a_setting_excludes_practice_written_for_another_use_case() -> None:
    hospital = setting_of("一家三甲医院想上线AI辅助诊断，担心医生不愿意用", "zh")
    assert hospital.foreign("企业在实施AI客服时，不能仅仅关注技术层面，还需重视用户的反馈和需求。")
    assert not hospital.foreign("医院的AI客服可以承担导诊咨询。")  # the question's own industry
    logistics = setting_of("物流公司想用AI优化调度和客服", "zh")
    assert not logistics.foreign("企业在实施AI客服时，不能仅仅关注技术层面。")  # the use case asked for
    assert logistics.foreign("提升用户对AI功能的理解与使用，进而拉动个人办公订阅业务增长。")
    broad = setting_of("企业怎么推进AI落地？", "zh")  # names no setting: every sentence is general practice
    assert not broad.foreign("企业在实施AI客服时，不能仅仅关注技术层面。")
    shop = setting_of("作为中小型电商企业，第一年应该优先做哪些AI应用？", "zh")  # who asks, not what for
    assert not shop.foreign("企业在实施AI客服时，不能仅仅关注技术层面。")
    english = setting_of("What KPIs should a retailer track in an AI customer-service rollout?", "en")
    assert not english.foreign("在实施AI客服过程中，数据隐私成为企业不得不面对的重要挑战。")


def test_a_sentence_takes_its_documents_use_case_when_it_names_none() -> None:
    factory = setting_of("一家食品加工厂想用AI做需求预测和排产", "zh")
    pitch = "选择一款稳定可靠的SDK，可以大幅缩短开发周期。"  # names no use case by itself
    title = "实施AI客服的挑战与解决方案 SDK选择"
    assert not factory.foreign(pitch)
    assert factory.foreign(pitch, title)  # every line of a customer-service article is about that
    service = setting_of("一家物流公司想用AI客服处理售后咨询", "zh")
    assert not service.foreign(pitch, title)  # the use case asked for
    assert not factory.foreign("工厂应按需求预测结果安排生产计划。", title)  # it names the asker's industry


def test_unanswered_constraints_become_gaps_in_the_answer_language() -> None:
    facets = find_facets(HOSPITAL, "zh")
    cited = ["实施严格的数据访问控制和加密措施，以防止数据泄露。", "在医院，通过AI进行诊断和预测。"]
    states, gaps = coverage(facets, cited, cited, "zh", in_corpus=lambda w: False)
    covered = {f.kind for f in states if f.covered}
    assert "industry" in covered  # a cited quote names 医院
    joined = "\n".join(gaps)
    assert "50万元" in joined and "预算" in joined  # no quote holds a money figure
    assert "出境" in joined and "导诊" in joined
    assert not any("医院" in g for g in gaps)
    # healthcare at large is not a hospital: a quote that only names 医疗 leaves the hospital a gap
    _, gaps = coverage(facets, ["在医疗行业，通过AI进行诊断和预测。"], [], "zh")
    assert any("医院" in g for g in gaps)


def test_a_budget_is_covered_only_by_a_quote_with_money_in_it() -> None:
    facets = [f for f in find_facets(HOSPITAL, "zh") if f.kind == "budget"]
    _, gaps = coverage(facets, ["应合理安排预算。"], [], "zh")
    assert gaps
    _, gaps = coverage(facets, ["单项预算50万元以下的由部门审批。"], [], "zh")
    assert not gaps


def test_a_three_year_question_gets_multi_year_spans_in_dependency_order() -> None:
    spans = [p.id for p in roadmap.phases(36, "zh")]
    assert spans == ["0-6", "6-12", "12-24", "24-36"]
    assert roadmap.phase_of("对现有系统进行评估和审计", 36) == "0-6"
    assert roadmap.phase_of("选择一个业务单元开展试点", 36) == "6-12"
    assert roadmap.phase_of("在全集团推广", 36) == "12-24"
    assert roadmap.phase_of("定期复盘并持续优化", 36) == "24-36"
    # an 18-month question ends at month 18, not 24
    assert [p.id for p in roadmap.phases(18, "en")] == ["0-6", "6-12", "12-18"]
    # cost estimation is assessment: it comes before the pilot, not after scaling
    assert roadmap.phase_of("对成本进行准确估算", 12) == "0-3"


def test_a_question_without_a_horizon_gets_steps_not_month_ranges() -> None:
    spans = roadmap.phases(None, "en")
    assert [p.id for p in spans] == ["step-1", "step-2", "step-3"]
    assert spans[0].label == "Assess and govern"
    assert roadmap.phase_of("选择一个业务单元开展试点", None) == "step-2"
    # an empty first step is dropped and the rest renumbered, so ids read as the headings do
    kept, renamed = roadmap.steps_in_use(spans, {"step-2", "step-3"})
    assert [p.id for p in kept] == ["step-1", "step-2"] and renamed["step-3"] == "step-2"
    assert kept[0].label == spans[1].label
    # month spans are left alone
    months = roadmap.phases(12, "en")
    assert roadmap.steps_in_use(months, {"3-6"})[0] == months


def test_owners_are_never_a_c_suite_default() -> None:
    assert roadmap.owner("实施严格的访问控制", "security", None, "zh") == "安全与合规负责人"
    assert roadmap.owner("实施严格的访问控制", "security", "healthcare", "zh").startswith("信息科")
    assert roadmap.owner("管理层应提供预算支持", "org", None, "zh") == "管理层"
    generic = [roadmap.owner("x", a, None, "en") for a in ("tech", "security", "org", "market")]
    assert not any(title in g for g in generic for title in ("CIO", "CISO", "CFO", "CHRO", "CEO"))


def test_no_owner_is_a_function_the_company_says_it_lacks() -> None:
    """'30人的电商公司…也没有专职法务' and 'a 12-person SaaS startup with no compliance team' were given
    the owner 安全与合规负责人 / Security and compliance lead: a team they just said they do not have."""
    no_legal = roadmap.lacking("我们是一家30人的电商公司，预算有限，也没有专职法务，是不是必须设数据保护官？")
    owner = roadmap.owner("处理者应当指定个人信息保护负责人", "security", None, "zh", no_legal)
    assert "合规负责人" not in owner and "法务" in owner  # it says who instead, and why
    assert "外聘" in roadmap.owner("法务部门应当审查合同", "tech", None, "zh", no_legal)  # a named role too
    assert roadmap.owner("定期开展培训", "org", None, "zh", no_legal) == "人力与培训负责人"  # others stay
    no_team = roadmap.lacking("We are a 12-person SaaS startup with no compliance team. How often?")
    assert "Security and compliance" not in roadmap.owner("audit", "security", None, "en", no_team)
    assert roadmap.lacking("我们没有IT团队")[0].areas == ("tech",)
    assert not roadmap.lacking("We cannot do without it.")  # 'it' is no IT department
    assert not roadmap.lacking("公司法务部要求我们上线前做评估")


def test_stated_constraints_are_read_and_a_price_list_is_no_budget() -> None:
    question = "200人的物流公司，IT只有2个人，预算每年50万以内，数据不能出境"
    facets = {f.kind: f for f in find_facets(question, "zh")}
    assert facets["team"].value == "IT只有2个人"
    assert facets["budget"].value == "50万"
    assert not addresses(facets["budget"], "价格、¥148/年、¥348/年")  # an amount, but no budget
    assert addresses(facets["budget"], "项目预算50万元以下的，由应用单位负责人审批")
    assert not addresses(facets["team"], "SaaS应用普遍增强AI能力，从而提升用户体验")


def test_a_word_the_dictionary_lacks_is_never_named_as_missing() -> None:
    facets = find_facets("一家省级国企想建设私有化部署的大模型平台，涉及数据安全和信创要求", "zh")
    _, gaps = coverage(facets, [], [], "zh", in_corpus=lambda w: False)
    assert not any("和信" in g for g in gaps)  # a mis-segmentation of 安全和信创


def test_which_first_ranks_a_plan_of_steps() -> None:
    """A plan without a horizon has step ids; 'which first?' orders them by step number."""
    actions = [
        PlanAction(text=t, phase=p, owner="IT", priority="medium", area="tech", citations=[])
        for t, p in (("后做的事。", "step-2"), ("先做的事。", "step-1"))
    ]
    phases = [PlanPhase(id="step-1", label="评估"), PlanPhase(id="step-2", label="试点")]
    prev = AdoptionPlan(question="q", language="zh", mode="offline", actions=actions, phases=phases)
    first = first_steps(prev, "哪些该先做？", "zh")
    assert [a.text for a in first.actions] == ["先做的事。"] and [p.id for p in first.phases] == ["step-1"]


def test_a_budget_asked_without_an_amount_needs_a_figure_too() -> None:
    facets = find_facets("那预算呢？", "zh")
    states, gaps = coverage(facets, ["管理层应为团队提供培训、预算及技术工具。"], [], "zh")
    assert [s.covered for s in states if s.kind == "budget"] == [False]
    assert gaps == ["资料中没有具体的成本或预算数字，预算需另行估算。"]  # no empty “预算” to cover
    _, gaps = coverage(
        find_facets("what about budget?", "en"), ["试用经费不超过10万元，纳入年度预算。"], [], "en"
    )
    assert not gaps


def test_long_term_value_is_no_multi_year_schedule() -> None:
    facets = [f for f in find_facets("三年规划怎么做？", "zh") if f.kind == "horizon"]
    assert not addresses(facets[0], "还要考虑AI技术对业务流程改进等潜在的长期价值。")
    assert addresses(facets[0], "企业应规划未来3-5年大语言模型的应用，分阶段推进。")
    assert not addresses(facets[0], "如何规划未来3-5年大语言模型与AI在企业中的应用？")  # a question
    assert not addresses(facets[0], "自20世纪90年代以来，企业持续投入。")


def test_a_horizon_beyond_the_cited_actions_is_a_gap() -> None:
    facets = find_facets("An AI plan over the next three years: what first?", "en")
    _, gaps = coverage(facets, [], [], "en", used_spans={"0-6", "6-12"})
    assert "The documents support actions only up to month 12; months 12–36 have no cited content." in gaps
    _, gaps = coverage(facets, [], [], "en", used_spans={"0-6", "24-36"})
    assert not any("up to month" in g for g in gaps)


def test_a_small_team_is_answered_by_how_to_deliver_not_by_a_talent_shortage() -> None:
    team = next(f for f in find_facets("我们IT只有2个人，怎么上线AI应用？", "zh") if f.kind == "team")
    assert addresses(team, "小型单位可以优先选择成熟的云服务或者采购产品，并可以申请派驻技术人员支持。")
    assert not addresses(team, "企业在推行AI落地时，人才短缺是不可忽视的重要障碍。")


def test_a_figure_written_for_another_industry_answers_no_budget() -> None:
    facets = find_facets("我们准备投入200万元做AI客服，这个预算够吗？", "zh")
    film = "大部分国产动画电影制作成本在1000-3000万元区间，与海外公司的制作投入相比仍有差距。"
    states, _ = coverage(facets, [film], [], "zh")
    assert [s.covered for s in states if s.kind == "budget"] == [False]
    states, _ = coverage(facets, ["AI客服项目预算200万元以上的，报管委会审批。"], [], "zh")
    assert [s.covered for s in states if s.kind == "budget"] == [True]


def test_an_english_facet_shows_chinese_words_only_when_they_translate_it() -> None:
    facets = find_facets("Our bank wants AI to help loan officers review applications.", "en")
    _, gaps = coverage(facets, [], [], "en", in_corpus=lambda w: False)
    named = next(g for g in gaps if "loan officers" in g)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in named)  # not 官兵 nor 军官: English only
    question = "We are an auto parts maker and want AI for triage of support tickets."
    _, gaps = coverage(find_facets(question, "en"), [], [], "en", in_corpus=lambda w: False)
    assert any('"auto parts" (汽配)' in g for g in gaps)  # a phrase the dictionary has whole
    assert not any("门票" in g for g in gaps)  # tickets -> admission tickets: a word-by-word guess


def test_constraints_are_read_as_the_question_words_them() -> None:
    facets = _kinds(
        "Can we use a public AI tool on patient records if the data stays in our own data centre?", "en"
    )
    assert facets["residency"] == "in our own data centre"  # not a topic 'centre' (基点)
    facets = _kinds("A chatbot that stores customer data on servers outside China: allowed?", "en")
    assert (
        facets["residency"] == "on servers outside China" and "industry" not in facets
    )  # 'stores' is a verb
    assert _kinds("患者数据不能离开医院机房，怎么做？")["residency"] == "数据不能离开医院机房"
    facets = {f.kind: f for f in find_facets("We run a legacy ERP and want AI.", "en")}
    assert facets["system"].value == "legacy ERP" and facets["system"].evidence == ("ERP",)


def test_an_industry_is_named_as_the_question_names_it_or_not_at_all() -> None:
    maker = next(f for f in find_facets("We are an auto parts manufacturer.", "en") if f.kind == "industry")
    assert addresses(maker, "制造业则借助AI进行智能化改造，提高生产效率和产品质量。")  # manufacturer -> 制造
    # 会员 says retail only by a word of its trade: searched for, never named a gap
    facets = find_facets("一家连锁药店想用AI做会员营销和库存补货", "zh")
    _, gaps = coverage(facets, [], [], "zh", in_corpus=lambda w: False)
    assert any("药店" in g for g in gaps) and not any("会员的" in g for g in gaps)


def test_who_asks_and_mis_cut_words_are_no_topics() -> None:
    topics = {
        f.value for f in find_facets("我们是一家区域性城商行，想用AI辅助信贷审核", "zh") if f.kind == "topic"
    }
    assert "区域性" not in topics  # describes the asking bank
    topics = {f.value for f in find_facets("我们分公司IT只有2个人，想上线一个二级AI应用做客服质检", "zh")}
    assert "做客" not in topics and "分公司" not in topics and "质检" in topics
    question = (
        "A provincial logistics company wants AI for checking loan files; what should the roadmap look like?"
    )
    values = {f.value for f in find_facets(question, "en")}
    assert not values & {"provincial", "checking", "look like"}


def test_a_small_team_is_searched_for_understaffing_advice() -> None:
    from agents.offline.facets import facet_queries

    team = [f for f in find_facets("我们IT只有2个人，怎么上线AI应用？", "zh") if f.kind == "team"]
    query = facet_queries(team, "")[0]
    assert "人员不足" in query and "小型单位" in query  # 'IT人员不足。小型单位可以…采购产品'


def test_a_headcount_before_any_company_noun_is_a_size() -> None:
    assert _kinds("We are a 300-person auto parts manufacturer.", "en")["size"] == "300-person"
    assert "size" not in _kinds("We have a 3-person IT team.", "en")  # a team, not the company


def test_a_cue_many_businesses_share_does_not_add_an_industry() -> None:
    """A hotel group's '120家门店' once made it a retailer too (retail owners, retail gaps)."""
    hotel = find_facets("我们是一家连锁酒店集团，有120家门店，想用AI做智能客服。", "zh")
    assert [f.key for f in hotel if f.kind == "industry"] == ["hospitality"]
    shop = find_facets("我们有50家门店，想用AI做销量预测。", "zh")
    assert [f.key for f in shop if f.kind == "industry"] == ["retail"]  # alone, the cue still names it


def test_english_constraints_in_yuan_and_it_staff_are_read() -> None:
    question = (
        "We are a small subsidiary with only 2 IT staff. We want to trial an AI meeting-minutes tool "
        "for 40 days with 80,000 yuan. Who approves it?"
    )
    kinds = {f.kind: f.value for f in find_facets(question, "en")}
    assert kinds.get("team") == "only 2 IT staff" and kinds.get("budget") == "80,000 yuan"
    assert not any(f.value in ("days", "day") for f in find_facets(question, "en"))


def test_a_gap_names_no_dictionary_sense_of_an_ambiguous_word() -> None:
    """'courier' has four CC-CEDICT senses led by 信使 (messenger); 'couriers' is the same subject."""
    facets = find_facets("We run a courier company with 20,000 couriers. How should we use AI?", "en")
    _, gaps = coverage(facets, [], [], "en", in_corpus=lambda w: False)
    assert not any("信使" in g for g in gaps)
    assert sum("courier" in g for g in gaps) <= 1


def test_an_english_phrase_is_covered_by_its_glossary_word() -> None:
    """'staff training' translates as 人员培训, which the documents never write; 培训 covers it."""
    facets = find_facets("What about staff training?", "en")
    states, gaps = coverage(
        facets, ["企业应该在内部进行员工培训。"], [], "en", in_corpus=lambda w: w == "培训"
    )
    assert [s.covered for s in states if s.kind == "topic"] == [True] and not gaps


def test_a_use_case_ending_in_a_generic_noun_keeps_it() -> None:
    """'收益管理' was read as 收益, which a game's '商业收益' answered in a hotel group's summary."""
    facets = find_facets("我们是一家连锁酒店集团，想用AI做智能客服和收益管理。", "zh")
    revenue = next(f for f in facets if f.kind == "use_case" and f.value.startswith("收益"))
    assert revenue.value == "收益管理"
    assert not addresses(revenue, "平衡商业化战斗系统从而保障游戏体验以及商业收益并重")
    assert addresses(revenue, "酒店可以借助AI进行收益管理，动态调整房价。")


def test_the_askers_own_department_is_no_topic() -> None:
    """'我是…科技部负责人' says who asks; '资料没有涉及“科技部”' was a gap no reader needed."""
    question = "我是一家城商行的科技部负责人，我们想用大模型辅助小微企业信贷审批。最大的风险是什么？"
    facets = find_facets(question, "zh")
    assert not any("科技部" in f.value for f in facets if f.kind == "topic")
    assert any(f.kind == "use_case" and f.value == "小微企业" for f in facets)  # not '小微' alone


def test_an_ai_powered_job_is_a_use_case() -> None:
    facets = find_facets("We want to use AI-powered demand forecasting in our stores.", "en")
    assert any(f.kind == "use_case" and f.value == "demand forecasting" for f in facets)


def test_revenue_is_not_read_as_the_budget() -> None:
    """'年营收约8000万元…每年AI预算不超过30万元': the gap once said 8000万元 could not be costed."""
    question = "我们是天猫上的店铺，团队12人，年营收约8000万元，每年AI预算不超过30万元。怎么评估投入产出比？"
    budgets = [f.value for f in find_facets(question, "zh") if f.kind == "budget"]
    assert budgets == ["30万元"]
    assert not any(f.kind == "budget" for f in find_facets("我们年营收5亿元，想用AI做客服，怎么做？", "zh"))


def test_an_empty_span_inside_a_multi_year_roadmap_is_a_gap() -> None:
    from agents.offline.coverage import beyond

    facets = find_facets("我们希望在未来3年内分阶段落地AI，请给出路线图。", "zh")
    assert beyond(facets, ["0-6", "6-12", "24-36"], "en") == [
        "The documents hold nothing to cite for months 12–24; plan that span yourself."
    ]
    assert beyond(facets, ["0-12", "12-24", "24-36"], "zh") == []  # every span planned, to the horizon


def test_a_multi_year_roadmap_is_a_horizon_with_words_between() -> None:
    facets = find_facets("We want a 3-year AI roadmap for our bank.", "en")
    assert [f.months for f in facets if f.kind == "horizon"] == [36]


def test_the_industry_named_first_is_the_askers_own_and_a_pharmacy_is_no_hospital() -> None:
    """An insurer reading medical records got hospital owners (院办), since healthcare came first
    in the data; a pharmacy chain did too."""

    def asker(question: str) -> str:
        return next(f.key for f in find_facets(question, "zh") if f.kind == "industry")

    assert asker("一家保险公司想用AI审核理赔时提交的病历，怎么落地？") == "finance"
    assert asker("医院想和保险公司合作做AI理赔，先做什么？") == "healthcare"
    pharmacy = asker("我们是一家有80家门店的连锁药店，想用AI预测补货")
    assert pharmacy == "pharmacy"
    owners = [roadmap.owner("x", a, pharmacy, "zh") for a in ("tech", "security", "org", "market")]
    assert not any(w in o for o in owners for w in ("院办", "信息科", "医务"))


def test_an_areas_own_name_is_never_a_topic_gap() -> None:
    """'资料没有涉及“合规”' over a body of rules: compliance is the security area's to answer."""
    facets = find_facets("我们准备上线一个AI招聘筛选系统，有哪些合规风险，怎么应对？", "zh")
    assert "合规" not in {f.value for f in facets if f.kind == "topic"}


def test_a_size_word_inside_another_word_is_no_size() -> None:
    """'SMEs?' matched inside 'assessments', which cut the question to 'risk asses，nts': the plan
    then reported that the documents do not cover 'asses' (驴子)."""
    from agents.offline.facets import find_facets

    facets = find_facets("How often do we have to run compliance audits or risk assessments?", "en")
    assert not [f for f in facets if f.kind == "size"]
    assert "asses" not in {f.value for f in facets}
    assert [f.kind for f in find_facets("We are an SME with 2 IT staff.", "en")].count("size") == 1


def test_a_rule_binds_every_use_and_ability_to_pay_is_no_bank() -> None:
    """A supermarket asking about coupon pushes and member pricing got nothing: the deciding article
    says 支付能力 (read as the finance industry) and 营销 (another use case than the App asked about)."""
    from agents.offline.setting import setting_of

    setting = setting_of("我们是连锁超市，想在App里给会员推送优惠券，对老会员把商品标价调高，合规吗？", "zh")
    article = "第十条 不得依据个人的消费习惯、支付能力等特征在交易价格上实行不合理的差别待遇。"
    sentence = "通过自动化决策方式向个人进行信息推送、商业营销的，应当提供便捷的拒绝方式。"
    assert not setting.foreign(article)
    assert not setting.foreign(sentence, "个人信息处理规则 第二章 个人信息处理一般规则")
    assert setting.foreign("某银行用AI做信贷审核。")  # another industry's story stays out


def test_a_team_of_about_a_dozen_does_not_make_a_question_of_fact() -> None:
    """'IT团队只有十几个人' read as '几个' (how many?): the integration question became a question of
    fact, every advice sentence fell below the fact cut, and all three areas found nothing."""
    from agents.offline.extract import asks_fact
    from agents.offline.question import setting_clauses

    question = "我们IT团队只有十几个人，想在理赔系统上接一个AI客服，系统集成上最容易踩哪些坑？"
    assert not asks_fact(question)
    assert "我们IT团队只有十几个人" in setting_clauses(question)
    assert asks_fact("员工每年要参加几个小时的培训？")


def test_a_compound_the_evidence_writes_in_pieces_is_no_gap() -> None:
    """'资料没有涉及“系统集成”' was shown over passages on integrating AI with existing systems."""
    from agents.offline.coverage import coverage
    from agents.offline.facets import QuestionFacet

    facet = QuestionFacet("topic", "系统集成", ("系统集成",))
    evidence = ["企业需关注现有系统的兼容性，例如如何将AI客服功能无缝集成到已有的客户管理平台中。"]
    _, gaps = coverage([facet], [], evidence, "zh", in_corpus=lambda w: False)
    assert gaps == []
    _, gaps = coverage(
        [QuestionFacet("topic", "报案", ("报案",))], [], evidence, "zh", in_corpus=lambda w: False
    )
    assert gaps == ["资料没有涉及“报案”。"]


def test_a_property_insurer_is_in_finance() -> None:
    from agents.offline.facets import find_facets

    assert [f.key for f in find_facets("我们是一家中型财产险公司", "zh") if f.kind == "industry"] == [
        "finance"
    ]


def test_how_an_organisation_is_laid_out_is_no_topic() -> None:
    """'a chain of after-school tutoring centres' gave the gaps 'chain' and 'centres' (基点)."""
    from agents.offline.facets import find_facets

    question = "We run a chain of after-school tutoring centres. How should we estimate an AI pilot's return?"
    facets = find_facets(question, "en")
    topics = {f.value for f in facets if f.kind == "topic"}
    assert not topics & {"chain", "centres"}
    assert any(f.kind == "industry" and f.key == "education" for f in facets)  # tutoring is its trade


@pytest.mark.parametrize(
    "question",
    [
        "What does it cost to run a private LLM for a 500-person insurer?",
        "What are the running costs of an AI chatbot?",
    ],
)
def test_an_english_cost_question_asks_for_a_budget(question: str) -> None:
    """The insurer's cost question never said that the documents hold no cost figures."""
    from agents.offline.facets import find_facets

    assert "budget" in {f.kind for f in find_facets(question, "en")}
    assert "budget" not in {f.kind for f in find_facets("How do we cut costs with AI?", "en")}


def test_a_topic_the_segmenter_cut_short_is_named_whole() -> None:
    """'区块链和AI结合有哪些风险？' reported the gap '资料没有涉及“区块”' (a block, not a blockchain)."""
    topics = [f.value for f in find_facets("区块链和AI结合有哪些风险？", "zh") if f.kind == "topic"]
    assert topics == ["区块链"]


def test_the_category_a_question_asks_for_is_no_gap() -> None:
    """'…上传到海外的云端大模型服务做分析，需要走哪些流程？' reported '资料没有涉及“流程”' over a plan that
    cites the transfer procedure: the answers name the steps, not the word 流程."""
    question = "我们想把客户数据上传到海外的云端服务做分析，需要走哪些流程？"
    facets = find_facets(question, "zh")
    _, gaps = coverage(facets, [], [], "zh", in_corpus=lambda w: False)
    assert not any("流程" in g for g in gaps) and any("云端" in g for g in gaps)


def test_a_count_is_answered_only_by_a_number_of_what_it_counts() -> None:
    """'部署大模型需要采购多少GPU？' named no gap once GPU matched the budget article's 算力费用: a
    quote with a number, 采购 and 部署 was taken for the count of GPUs."""
    from agents.offline.coverage import addresses

    (count,) = [f for f in find_facets("部署大模型需要采购多少GPU？", "zh") if f.kind == "figures"]
    assert not addresses(count, "第十四条 各单位采购或者部署人工智能应用，应当在30日内提交立项申请表。")
    assert addresses(count, "部署一个70亿参数的模型，一般需要采购2块GPU。")
    assert addresses(count, "采购部署所需的算力不少于8卡。")  # a synonym of what is counted
    (people,) = [f for f in find_facets("AI团队应该配多少人？", "zh") if f.kind == "figures"]
    assert not people.parts  # 人 is a measure word: any number of the team answers


def test_a_horizon_within_a_year_is_no_gap() -> None:
    """A question that said 今年 over documents that answer nothing got the gap '资料没有涉及“今年”'."""
    from agents.offline.coverage import coverage

    facets = find_facets("某区政务服务中心今年AI预算大约80万元，部署一套问答系统要花多少钱？", "zh")
    assert any(f.kind == "horizon" for f in facets)
    _, gaps = coverage(facets, [], [], "zh", planned=False)
    assert not any("今年" in g for g in gaps) and any("80万元" in g for g in gaps)


def test_a_system_the_documents_name_in_passing_is_not_said_to_be_missing() -> None:
    """'资料没有提到CRM' was false over documents that list '呼叫中心系统、CRM系统等': when the
    corpus names the system but no cited quote speaks to it, the gap says so instead."""
    question = "我们是区域连锁超市，会员系统是一套老CRM，想做会员推荐，应该怎么做？"
    facets = [f for f in find_facets(question, "zh") if f.kind == "system"]
    assert facets
    _, named = coverage(facets, ["企业应当进行详细的成本效益分析。"], [], "zh", in_corpus=lambda w: True)
    assert named and "没有提到" not in named[0] and "顺带提到CRM" in named[0]
    _, unnamed = coverage(facets, ["企业应当进行详细的成本效益分析。"], [], "zh", in_corpus=lambda w: False)
    assert unnamed and "没有提到CRM" in unnamed[0]


def test_whether_spending_pays_off_is_read_as_a_question_of_return_on_investment() -> None:
    """'怎样判断这笔投入值不值' shared no word with '如何进行详细的成本效益分析…投资回报率', which
    answers it; it is read with the words the documents use for return on investment."""
    from agents.offline.scope import expand

    assert "投资回报" in expand("怎样判断这笔投入值不值？", "zh")
    assert "投资回报" in expand("Is an 800k budget for recommendations worth it?", "en")
    assert "投资回报" not in expand("怎样判断这笔投入的来源？", "zh")


def test_the_asker_and_everyday_hr_words_reach_the_rules() -> None:
    """'Our HR manager…' reported 'manager' as a gap, and 'performance reviews' was read as 性能."""
    from agents.language.glossary import glossary_terms

    question = "Our HR manager wants AI to draft performance reviews. What is allowed?"
    assert not any("manager" in f.value.lower() for f in find_facets(question, "en") if f.kind == "topic")
    assert "绩效评语" in glossary_terms("performance reviews") and "简历" in glossary_terms("CVs")


ON_PREM = (
    "我们是集团下属的零售公司，想在本地机房部署一个开源大模型做门店客服知识库。"
    "请给出两年的分阶段路线图，并告诉我需要几台GPU服务器、采购和运维大概各要花多少钱。"
)


def test_a_price_a_count_and_a_horizon_asked_together_are_each_read() -> None:
    """The horizon '两年的分阶段路线图' and the count '几台GPU服务器' went unread, '和运维' was a topic,
    and a trial fund of 10万元 counted as the price of purchase and operation."""
    facets = {f.kind: f for f in find_facets(ON_PREM, "zh")}
    assert facets["horizon"].months == 24
    assert "几台" in facets["figures"].value
    assert "运维" in {f.value for f in find_facets(ON_PREM, "zh") if f.kind == "topic"}
    budget = facets["budget"]
    trial = "第五十二条 各单位可以在年度预算内安排不超过10万元的小额试用经费，用于一级应用的试用评估。"
    assert not addresses(budget, trial)  # prices neither purchase nor operation
    assert addresses(budget, "服务器采购费用约80万元，每年运维费用约10万元。")
    # a price asked with nothing else in its clause is answered by any figure with a cost word
    (plain,) = [f for f in find_facets("一年要花多少钱？", "zh") if f.kind == "budget"]
    assert addresses(plain, trial)


def test_a_chinese_follow_up_to_an_english_question_names_no_english_word_as_a_gap() -> None:
    """'那人员培训方面呢？' after an English question listed 'regional' and 'newspaper' as gaps."""
    thread = "We are a regional newspaper group planning AI over the next 3 years. 那人员培训方面呢？"
    topics = {f.value for f in find_facets(thread, "zh") if f.kind == "topic"}
    assert "人员培训" in topics and not {"regional", "newspaper", "group"} & topics
    # names and acronyms in a Chinese question still are topics
    assert {"U8", "ChatGPT"} <= {f.value for f in find_facets("我们用用友U8，想上ChatGPT", "zh")}


def test_a_merged_table_cell_and_a_repeated_answer_are_shown_once() -> None:
    from agents.offline.summary import write_summary
    from agents.offline.units import answer_units
    from agents.state import Claim

    row = "| 实际支出超出批准预算10%以上 | 按调整后金额对应的层级 | 按调整后金额对应的层级 | 信息技术部 |"
    shown = [u.text for u in answer_units(row) if u.kind == "table"]
    assert shown and all(t.count("按调整后金额对应的层级") == 1 for t in shown)
    same = "第五十条 立项预算应当完整列示软件许可或者订阅费。"
    twice = [
        Claim(text=same, evidence_ids=["a"], quote=same),
        Claim(text=same, evidence_ids=["b"], quote=same),
    ]
    summary = write_summary("zh", [], [], twice, lambda c: [1])
    assert summary.count("第五十条") == 1


def test_english_phrases_and_data_kept_in_mainland_china_are_read_as_the_asker_means() -> None:
    """'Which AI use cases…' made 'cases' (案件) a gap, 'client files' became 案卷, and 'must never
    leave mainland China' was no residency constraint."""
    question = (
        "We are an 80-lawyer law firm. Client files must never leave mainland China. "
        "Which AI use cases should we start with?"
    )
    facets = find_facets(question, "en")
    kinds = {f.kind for f in facets}
    values = {f.value.lower() for f in facets}
    assert "residency" in kinds
    assert "cases" not in values and "files" not in values
    assert any("客户资料" in f.evidence for f in facets)


def test_an_owner_names_no_data_the_question_did_not() -> None:
    """A retail owner read 'IT/法务（会员数据）' for a question that never spoke of member data."""
    assert roadmap.owner("建立数据安全制度。", "security", "retail", "zh") == "IT/法务"


def test_a_shops_customers_reach_the_documents_clients_one_way() -> None:
    from agents.language.synonyms import alternatives

    assert "客户" in alternatives("顾客") and "顾客" not in alternatives("客户")


def test_every_number_a_question_asks_for_is_its_own_facet() -> None:
    """'三年内需要配多少人…投资回报期大概多长？' read only the head count: the payback period, which no
    document states, went unnamed in the gaps."""
    question = "制药事业部想用大模型做文献分析，三年内需要配多少人、算力怎么配，投资回报期大概多长？"
    asked = [f.value for f in find_facets(question, "zh") if f.kind == "figures"]
    assert any("多少人" in v for v in asked) and any("回报期" in v for v in asked)
    _, gaps = coverage(
        [f for f in find_facets(question, "zh") if f.kind == "figures"],
        ["第五十条 立项预算应当完整列示。"],
        [],
        "zh",
    )
    assert any("回报期" in g for g in gaps)


def test_an_english_count_is_of_the_noun_after_how_many() -> None:
    """'how many data scientists should we hire…' was covered by any quote with a number and 数据
    ('数据保存6个月'), so the plan never said the documents give no headcount."""
    from agents.offline.coverage import addresses

    question = (
        "The board wants a number: how many data scientists should we hire and what will the team cost?"
    )
    figures = next(f for f in find_facets(question, "en") if f.kind == "figures")
    assert ("科学家",) in figures.parts
    assert not addresses(figures, "日志数据应当保存不少于6个月。")
    assert addresses(figures, "团队应配备2名数据科学家。")


def test_a_thousands_separator_is_part_of_the_size() -> None:
    sizes = [
        f.value
        for f in find_facets("We are a 1,200-employee textile manufacturer.", "en")
        if f.kind == "size"
    ]
    assert sizes == ["1,200-employee"]


def test_a_request_for_a_headcount_is_answered_only_by_a_number_of_staff() -> None:
    """'需要招几个人' was no request for a number at all, so a plan that gave none said nothing of it."""
    from agents.offline.coverage import addresses

    figures = [
        f for f in find_facets("请给一个三年路线图，并告诉我需要招几个人。", "zh") if f.kind == "figures"
    ]
    assert figures and "告诉" not in figures[0].evidence
    assert addresses(figures[0], "各单位应当指定一名人工智能应用联络员。")
    assert not addresses(figures[0], "试点期一般不超过3个月。")
    english = [
        f for f in find_facets("How many people do we need for the AI team?", "en") if f.kind == "figures"
    ]
    assert english and english[0].parts == ()  # 'people' is a headcount, not 人民 or 人口


def test_what_this_year_lacks_is_no_horizon() -> None:
    assert horizon_months("今年没有新增编制，半年内先做什么？") == 6
    assert horizon_months("计划明年全面推进AI") == 12


def test_cross_border_trade_is_no_data_residency() -> None:
    trade = "We are a cross-border e-commerce seller. How should we measure the ROI of a chatbot?"
    assert not [f for f in find_facets(trade, "en") if f.kind == "residency"]
    data = "Our customer data may not cross borders: can we use a cross-border API?"
    assert [f for f in find_facets(data, "en") if f.kind == "residency"]


@pytest.mark.parametrize(
    "question", ["我们子公司只有2名IT人员，想试用会议纪要工具。", "公司仅有一名技术人员，怎么起步？"]
)
def test_a_headcount_before_the_role_is_a_small_team(question: str) -> None:
    assert [f.kind for f in find_facets(question, "zh")][0] == "team"


def test_a_named_system_is_never_said_to_be_unmentioned() -> None:
    """'The documents do not mention CRM, nor any integration practice' stood beside a citation from
    the documents' section on CRM: a system the corpus names is said to be named, whatever the roadmap."""
    from agents.offline.coverage import coverage

    question = "We are a telecom operator on a legacy Siebel CRM. Give us a phased two-year plan for AI."
    facets = [f for f in find_facets(question, "en") if f.kind == "system"]
    assert facets
    _, gaps = coverage(facets, [], [], "en", in_corpus=lambda w: True, steps=["建立跨职能的AI项目团队。"])
    assert gaps and "do not mention" not in gaps[0] and "mention CRM" in gaps[0]
