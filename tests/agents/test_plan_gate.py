"""The plan-level gate: no other industry's filler, no example or forecast as a step, no quote twice."""

from __future__ import annotations

from agents.language.lexicon import FLUFF
from agents.offline.assemble import Assembler
from agents.offline.facets import find_facets
from agents.offline.gate import advice, distinct, leads, measures, names_only, on_question
from agents.offline.scope import _adopting
from agents.offline.setting import setting_of
from agents.state import AreaFindings, Claim, Evidence


def test_a_sentence_under_another_industrys_section_is_foreign() -> None:
    bank = setting_of("一家城市商业银行想用AI做反欺诈监控，怎么起步？", "zh")
    npc = "未来智能NPC玩法对于算力要求提升，也需要考虑网络环境与边缘设备的平衡"
    section = "趋势6：AI将加速内容IP的开发和运营，推动内容产业多元化"
    assert not bank.foreign(npc)  # names no industry by itself
    assert bank.foreign(npc, section)  # but its section is about the media industry
    assert not bank.foreign("企业须加强对数据安全的重视。", "四、数据安全与隐私保护不可忽视")
    assert not bank.foreign("银行应建立模型复核机制。", section)  # it names the asker's industry


def test_a_use_case_the_question_names_makes_it_specific() -> None:
    hospital = setting_of("一家二级医院想用AI做病历质控，信息科只有3个人，怎么规划第一年的工作？", "zh")
    assert hospital.specific
    assert hospital.foreign("为此，企业应重视用户的反馈与市场调研，及时调整自己的产品策略。")
    insurer = setting_of("一家财产保险公司想用AI做车险定损，担心模型出错，怎么推进？", "zh")
    assert insurer.foreign("对抗攻击：易受恶意攻击，如对抗样本可使Agent产生错误决策")  # agents' risks
    agent = setting_of("一家银行想上线AI Agent处理客户咨询，有哪些风险？", "zh")
    assert not agent.foreign("对抗攻击：易受恶意攻击，如对抗样本可使Agent产生错误决策")


def _claim(quote: str, chunk: str = "c1", text: str | None = None) -> Claim:
    return Claim(text=text or quote, evidence_ids=[chunk], quote=quote)


def test_examples_of_others_and_forecasts_are_no_steps() -> None:
    kept = advice(
        [
            _claim("例如某银行通过AI风控把坏账率降低了一半。"),
            _claim("预计到2025年，超过一半的企业将部署生成式AI。"),
            _claim("未来智能NPC玩法对于算力要求提升，也需要考虑网络环境与边缘设备的平衡"),
            _claim("例如，AI摄像头可以捕捉并分析物理场景中的图像数据。"),
            _claim("例如，借助自然语言处理技术，企业可以对客户评论进行情感分析。"),
            _claim("企业应定期开展AI相关培训。"),
        ]
    )
    assert [c.quote for c in kept] == [
        "例如，借助自然语言处理技术，企业可以对客户评论进行情感分析。",
        "企业应定期开展AI相关培训。",
    ]


def test_a_quote_held_by_another_of_the_same_passage_is_shown_once() -> None:
    article = "第三十六条 应用上线后应当持续监测准确率，并设置预警阈值。低于阈值的，应当暂停使用。"
    part = "第三十六条 应用上线后应当持续监测准确率，并设置预警阈值。"
    claims = [_claim(part), _claim(article), _claim(part, chunk="c2")]
    assert [(c.quote, c.evidence_ids) for c in distinct(claims)] == [(article, ["c1"]), (part, ["c2"])]
    shortened = _claim(article, text="第三十六条 应用上线后应当持续监测准确率…")
    assert len(distinct([_claim(part), shortened])) == 2  # the shortened one does not say it all


def test_a_row_of_names_answers_a_use_case_not_who_asks() -> None:
    row = "中国邮政储蓄银行 邮晓蕊、科大讯飞 教育 AI 助手、携程 携程问道"
    listed = _claim(row, text=f"资料所列：{row}")
    bank = find_facets("一家银行想用AI，怎么起步？", "zh")
    assert names_only(listed, bank)
    cells = "物流规划、无人零售、数字人直播、个性化营销/智能导购"
    shop = find_facets("一家连锁超市想用AI做智能导购，有哪些做法？", "zh")
    assert any(f.kind == "use_case" for f in shop)
    assert not names_only(_claim(cells, text=f"资料所列：{cells}"), shop)  # it names the use case asked
    assert not names_only(_claim("企业应建立数据安全制度。"), bank)


def test_a_narrow_question_keeps_only_findings_near_its_best_evidence() -> None:
    question = "员工用生成式AI写对外宣传稿，发布前要做哪些核验？"
    answer = _claim("AI生成的对外宣传稿发布前，应当由撰写人核验事实、数据和引用来源。")
    account = _claim("员工调岗或者离职时，所在部门应当在3个工作日内通知信息技术部回收账号。", chunk="c2")
    review = _claim("对外发布的宣传稿，应当经部门负责人复核后发布。", chunk="c3")
    found = AreaFindings(area="security", queries=[], evidence_ids=[], actions=[account, review])
    (kept,) = on_question(question, [answer], [found], lambda c: "")
    assert kept.actions == [review]
    # a question no evidence matches keeps every finding: its gaps say what is missing
    (kept,) = on_question("量子计算怎么排产？", [], [found], lambda c: "")
    assert kept.actions == [account, review]


def test_a_bare_rule_item_or_an_unasked_scope_clause_does_not_lead_a_summary() -> None:
    question = "我们事业部想采购外部大模型服务，需要谁审批？"
    assert not leads(_claim("（四）制定应急预案和人工接管流程；"), question)  # lost its lead-in
    scope = _claim("第二条 本制度适用于集团总部、各事业部及全资、控股子公司。")
    assert not leads(scope, question)
    assert leads(scope, "本制度适用于哪些单位？")
    assert leads(_claim("3、基于智能算法的推荐系统，能够提高客户满意度；"), question)  # a report's statement
    assert leads(_claim("第十五条 预算500万元以上的，报管委会审批。"), question)


def test_marketing_and_ai_product_practice_is_foreign_to_an_operations_question() -> None:
    logistics = setting_of("一家冷链物流公司想用AI做路线规划和仓储调度，怎么起步？", "zh")
    assert logistics.foreign("例如，企业可以利用AI分析客户购买行为，进行趋势预测和市场细分。")
    assert logistics.foreign("中国AI应用需要在持续扩大用户规模的基础上，形成用户粘性与依赖。")
    assert not logistics.foreign("对于已有的员工，企业应定期开展AI相关培训。")
    assert FLUFF.search("行业用户在进行AI规划的过程中，面临不少挑战。")  # says nothing about which
    bank = setting_of("一家城市商业银行想用大模型辅助信贷审核，怎么推进？", "zh")
    assert bank.foreign("强化高技术资源投入所形成的技术竞争壁垒在一定程度将被逐步击穿。")  # vendors' market


def test_a_heading_and_the_sentence_under_it_are_one_action() -> None:
    text = "## 4.1 提升数据保护意识\n\n企业须加强对数据安全的重视，提升员工的数据保护意识。"
    ev = Evidence(
        score=1.0, chunk_id="s", source="a.txt", title="A", section="4.1 提升数据保护意识", text=text
    )
    heading = Claim(text="提升数据保护意识。", evidence_ids=["s"], quote="4.1 提升数据保护意识")
    sentence = _claim("企业须加强对数据安全的重视，提升员工的数据保护意识。", chunk="s")
    found = AreaFindings(area="security", queries=[], evidence_ids=["s"], actions=[sentence, heading])
    plan = Assembler({"s": ev}, "zh").build("企业怎么落地AI？", ["security"], [found], None)
    assert len(plan.actions) == 1 and len(plan.citations) == 1


def test_a_named_industry_asking_about_its_named_data_is_an_adoption_question() -> None:
    question = "Our chain of 80 dental clinics wants AI for appointments. How do we protect patient data?"
    assert _adopting(question, "en")
    assert not _adopting("Our chain of 80 dental clinics wants a new logo.", "en")


def test_a_kpi_measures_what_ai_changes() -> None:
    meeting = _claim("通过定期召开研讨会和头脑风暴会议，团队可以快速分享信息，并提高工作效率。")
    routing = _claim("在物流行业，AI的路径优化模型也显著减少了运输成本。")
    leak = _claim("实施严格的数据访问控制和加密措施，以防止数据泄露和滥用。")
    assert measures([meeting, routing], "org") == [routing]
    assert measures([leak], "security") == [leak]  # a safeguard's measure needs no AI word


def test_naming_the_askers_industry_among_several_says_nothing_about_it() -> None:
    bank = find_facets("一家银行想用AI做反欺诈，怎么起步？", "zh")
    assert names_only(_claim("在消费零售、金融、医疗、制造等领域，AI已经逐渐成为企业转型的核心动力。"), bank)
    assert not names_only(_claim("银行应建立反欺诈模型的复核机制。"), bank)


def test_a_question_whose_asked_domain_words_are_all_missing_is_unanswered() -> None:
    """Only the scene's 产品 occurs in the rules; what is asked (版权, 侵权) does not."""
    from agents.offline.focus import Focus
    from agents.offline.gate import unanswered

    rules = [
        "处理者不得以个人不同意为由拒绝提供产品或者服务。",
        "第八条 处理者委托他人处理个人信息的，应当订立合同。",
    ]
    asked = Focus("我们用AI生成的产品宣传海报，版权算公司的吗？会不会被告侵权？", rules)
    assert asked and unanswered(asked, "zh")
    credit = Focus(
        "我们打算上线一个用AI给客户打信用分的模型，上线前需要做哪些合规准备？", [*rules, "自动化决策"]
    )
    assert not unanswered(credit, "zh")  # 上线 is no domain word: the scene (信用分) is what it is about


def test_a_question_asking_for_numbers_and_more_keeps_the_evidence_on_the_rest() -> None:
    """'制度允许吗？要走什么审批？…能减少多少理赔员、多久能回本？' was emptied: no evidence names 理赔员, so
    the count's gate dropped the approval rules. Only a question that asks for numbers alone is
    narrowed to what it counts."""
    from agents.offline.gate import counted_only, only_counts

    question = (
        "理赔部想用AI自动判定小额理赔，预算150万元。制度允许这样做吗？要走什么审批？上线后能减少多少理赔员？"
    )
    assert not only_counts(question) and only_counts("需要采购多少GPU？")
    rule = _claim("第十五条 二级应用，或者预算50万元（含）以上、500万元以下的，报分管副总裁审批。")
    findings = AreaFindings(area="security", queries=[], evidence_ids=["c1"], actions=[rule])
    kept, answers = counted_only(find_facets(question, "zh"), question, [findings], [rule])
    assert kept[0].actions == [rule] and answers == [rule]
