"""A focused question's obstacles and measures are the ones that speak to it, not each area's stock."""

from __future__ import annotations

from agents.offline.facets import find_facets
from agents.offline.focus import Focus
from agents.offline.gate import asked_kinds, pertinent
from agents.state import AreaFindings, Claim

LOGISTICS = "我们是物流公司，IT团队只有3个人，还有一套老旧的ERP系统，AI应该从哪里入手？"
TALENT = "人才短缺制约发展，企业需要加强人才培养。"
FRICTION = "技术的复杂性和跨平台的兼容性会导致集成过程中的摩擦。"
MARKET = "市场竞争激烈，用户需求多变，产品同质化严重。"
SALES = "销售转化率提升了15%。"
ANSWER = "对于IT人员不足的企业，可以先从成熟的SaaS产品入手，由服务商负责部署。"


def _claim(quote: str, chunk: str) -> Claim:
    return Claim(text=quote, evidence_ids=[chunk], quote=quote)


def _findings() -> list[AreaFindings]:
    return [
        AreaFindings(area="org", challenges=[_claim(TALENT, "c1")], actions=[_claim(ANSWER, "c4")]),
        AreaFindings(area="tech", challenges=[_claim(FRICTION, "c2")]),
        AreaFindings(area="market", challenges=[_claim(MARKET, "c3")], kpis=[_claim(SALES, "c5")]),
    ]


def _kept(question: str) -> tuple[list[str], list[str], list[str]]:
    texts = [TALENT, FRICTION, MARKET, SALES, ANSWER]
    asked = Focus(question, texts)
    out = pertinent(_findings(), asked, find_facets(question, "zh"), question, [_claim(ANSWER, "c4")])
    challenges = [c.text for f in out for c in f.challenges]
    return challenges, [c.text for f in out for c in f.kpis], [c.text for f in out for c in f.actions]


def test_obstacles_that_speak_to_the_stated_constraints_stay_and_stock_ones_go() -> None:
    challenges, kpis, actions = _kept(LOGISTICS)
    assert challenges == [TALENT, FRICTION]  # a 3-person IT team; an old ERP
    assert kpis == []  # a sales measure answers nothing asked
    assert actions == [ANSWER]  # steps are the areas' own choice


def test_a_question_that_asks_for_obstacles_or_measures_keeps_those_it_touches() -> None:
    watch = "我们是物流公司，上AI在人才和市场上应该注意什么？"
    assert asked_kinds(watch) == {"challenges", "risks"}
    assert _kept(watch)[0] == [TALENT, MARKET]  # each shares a word; the integration friction none
    measure = "物流公司上了AI，怎么衡量效果？"
    assert "kpis" in asked_kinds(measure)
    assert _kept(measure)[1] == [SALES]


def test_a_step_that_shares_nothing_with_a_focused_question_is_padding() -> None:
    question = "一家媒体集团想用AIGC生产新闻稿，怎么防范内容质量下降、同质化和版权风险？"
    leak = "实施严格的数据访问控制和加密措施，以防止数据泄露和滥用。"
    review = "企业应建立AI生成内容的审核规范，由编辑核查内容质量并排查版权风险。"
    same = "内容同质化的问题日益突出。"
    texts = [leak, review, same, TALENT]
    findings = [
        AreaFindings(
            area="security",
            actions=[_claim(leak, "c1"), _claim(review, "c2")],
            challenges=[_claim(same, "c3")],
        )
    ]
    out = pertinent(findings, Focus(question, texts), find_facets(question, "zh"), question)
    assert [c.text for c in out[0].actions] == [review]
    assert [c.text for c in out[0].challenges] == [same]  # it asks about risks: a matching one stays


def test_first_frames_the_question_and_data_groundwork_is_a_technology_question() -> None:
    from agents.language.text import area_scores

    texts = ["企业可以首先识别那些适合AI介入的领域。", "企业会采取措施提高数据的质量，如数据清洗。"]
    asked = Focus("数据方面首先要做哪些准备？", texts)
    assert {t.word for t in asked.weights} == {"数据"}  # '首先' matched every '企业可以首先…' sentence
    assert asked.score(texts[1]) > asked.score(texts[0])
    assert "tech" in area_scores("What data groundwork is needed first?")


def test_a_long_question_keeps_the_steps_that_match_half_as_much_as_its_best() -> None:
    question = (
        "我们是一家有3000名学生的职业院校，教务处想给学生和家长上线AI答疑助手，但老师有抵触情绪，担心被替代。"
        "应该怎么做培训和组织变革，让老师愿意用？"
    )
    training = "企业应定期开展AI相关培训，提升员工的专业技能。"
    resist = "员工适应问题：员工需要学习新的工具和工作方式，可能存在抵触情绪。"
    leak = "实施严格的数据访问控制和加密措施，以防止数据泄露和滥用。"
    scene = [
        "职业院校的学生和老师。",
        "AI答疑助手上线。",
        "被替代的岗位。",
        "组织变革。",
        "教务处和家长。",
    ]  # the question's other words
    texts = [training, resist, leak, TALENT, MARKET, *scene]
    findings = [
        AreaFindings(area="org", actions=[_claim(resist, "c1"), _claim(training, "c2"), _claim(leak, "c3")])
    ]
    asked = Focus(question, texts)
    assert asked.score(training) < 0.1  # one word of a long question
    out = pertinent(findings, asked, find_facets(question, "zh"), question)
    assert [c.text for c in out[0].actions] == [resist, training]


class _Scores:
    """A question's scores given outright: the floors are what is tested."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def score(self, text: str) -> float:
        return max((s for t, s in self.scores.items() if t in text), default=0.0)


def test_an_unasked_risk_needs_at_least_what_a_step_needs() -> None:
    """When the best evidence matches little (0.114), 30% of it (0.034) let a data-leak risk that
    shared one scene word into a training question's plan, and lead its summary."""
    best, weak, step = "员工适应问题：可能存在抵触情绪。", "数据泄露的风险。", "定期开展培训。"
    scores = _Scores({best: 0.114, weak: 0.04, step: 0.069})
    findings = [
        AreaFindings(
            area="org",
            actions=[_claim(best, "c1"), _claim(step, "c2")],
            risks=[Claim(text=weak, evidence_ids=["c3"], quote=weak)],
        )
    ]
    out = pertinent(findings, scores, [], "应该怎么做培训，让老师愿意用？")  # type: ignore[arg-type]
    assert [c.text for c in out[0].actions] == [best, step]
    assert out[0].risks == []


def _plan_with(question: str) -> tuple[list[str], list[str]]:
    from agents.offline.assemble import Assembler
    from agents.state import Evidence

    texts = {
        "c1": "引入AI客服的过程中，技术整合是首要的挑战。",
        "c2": "四、数据安全与隐私保护不可忽视，合规性管理至关重要",
        "c3": "企业应定期开展AI相关培训，提升员工的专业技能。",
        "c4": "企业需关注现有技术与AI客服的兼容性。",
    }
    evidence = {
        cid: Evidence(score=1.0, chunk_id=cid, source="a.txt", title="A", section="", text=text)
        for cid, text in texts.items()
    }
    findings = [
        AreaFindings(
            area="tech", challenges=[_claim(texts["c1"], "c1")], actions=[_claim(texts["c4"], "c4")]
        ),
        AreaFindings(area="security", challenges=[_claim(texts["c2"], "c2")]),
        AreaFindings(area="org", actions=[_claim(texts["c3"], "c3")]),
    ]
    plan = Assembler(evidence, "zh").build(question, ["tech", "security", "org"], findings, None)
    return [c.text for c in plan.challenges], [a.text for a in plan.actions]


def test_a_plan_for_a_named_use_keeps_its_obstacles_and_every_areas_steps() -> None:
    challenges, actions = _plan_with("我们想上线AI客服，请给一个分阶段计划。")
    assert challenges == ["引入AI客服的过程中，技术整合是首要的挑战。"]  # no security slogan
    assert len(actions) == 2  # training stays: a plan has steps from each area
    # a plan that names no subject gets each area's obstacles
    assert len(_plan_with("我们是一家制造企业，请给一个分阶段计划。")[0]) == 2


def test_a_short_step_means_what_its_passage_says() -> None:
    """'- 打造自动化测评平台' under 工行's practice answers how 工行 raised its software productivity,
    though the item alone names none of it; a longer sentence must speak for itself."""
    story = "工行软件开发中心用AI提升软件研发效率的实践"
    item, sentence = "打造自动化测评平台", "企业应当定期组织跨部门的沟通会议，交流项目进展。"
    scores = _Scores({"代码生成": 0.5, story: 0.25})
    passages = {"c1": f"{story}：{item}", "c2": f"{story}：{sentence}"}
    findings = [AreaFindings(area="tech", actions=[_claim(item, "c1"), _claim(sentence, "c2")])]
    answer = _claim("工行软件开发中心用AI提升软件研发效率的做法包括代码生成。", "c0")
    out = pertinent(
        findings,
        scores,  # type: ignore[arg-type]
        [],
        "工行软件开发中心是怎样用AI提升软件研发效率的？",
        [answer],
        passage=lambda c: passages.get(c.evidence_ids[0], ""),
    )
    assert [c.text for c in out[0].actions] == [item]
