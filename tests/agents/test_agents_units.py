"""Unit tests of the advisor's pure parts: router, redaction, text, support judge, verifier repair."""

from __future__ import annotations

import pytest

from agents.grounding.citations import CitationBook
from agents.grounding.support import coverage, supported
from agents.language.text import detect_language, imperative, segments
from agents.llm.redact import redact
from agents.nodes.planner import route
from agents.nodes.verifier import collect, lexical_verdicts, repair
from agents.offline.sentences import classify
from agents.render import plan_to_markdown
from agents.state import AdoptionPlan, Citation, Evidence, PlanAction, PlanKPI

SECURITY_TEXT = (
    "## 二、权限与安全控制成为关键障碍\n\n企业在部署AI时，必须将数据的收集、存储与处理纳入到安全体系之中。"
    "尤其是在涉及敏感信息时，权限设置和数据加密手段显得尤为重要。此外，要建立完善的数据审计机制。"
)
ORG_TEXT = (
    "建议企业建立跨职能的AI项目团队，这种团队由来自不同部门的成员组成。管理层也应当为团队提供足够的预算。"
)


def _evidence() -> dict[str, Evidence]:
    return {
        "sec": Evidence(
            score=1.0, chunk_id="sec", source="a.txt", title="A", section="二", text=SECURITY_TEXT
        ),
        "org": Evidence(score=1.0, chunk_id="org", source="b.txt", title="B", text=ORG_TEXT),
    }


def _citation(n: int, chunk_id: str, quote: str) -> Citation:
    return Citation(id=n, chunk_id=chunk_id, source="x.txt", title="X", quote=quote)


# --- router -------------------------------------------------------------------------------------


def test_route_sends_one_specialist_per_area() -> None:
    sends = route(
        {"question": "q", "route": ["tech", "org"], "subqueries": {"tech": ["a"]}, "llm_areas": ["org"]}
    )
    assert isinstance(sends, list)
    assert [s.node for s in sends] == ["specialist", "specialist"]
    assert [s.arg["area"] for s in sends] == ["tech", "org"]
    assert [s.arg["use_llm"] for s in sends] == [False, True]


def test_route_refusal_goes_to_refuse() -> None:
    assert route({"question": "q", "refused": True}) == "refuse"


def test_route_raises_on_unknown_area() -> None:
    with pytest.raises(ValueError, match="unknown area"):
        route({"question": "q", "route": ["tech", "weather"]})  # type: ignore[list-item]


def test_route_raises_when_planner_chose_nothing() -> None:
    with pytest.raises(ValueError, match="no areas"):
        route({"question": "q", "route": []})


# --- redaction ----------------------------------------------------------------------------------


def test_redact_replaces_each_kind_and_counts() -> None:
    text = (
        "联系张三 13812345678 或 +86 139-1234-5678，邮箱 zhang.san@example.com，"
        "身份证 110101199003071234，银行卡 6222 0212 3456 7890 123，订单号 20240101。"
    )
    out, counts = redact(text)
    for secret in (
        "13812345678",
        "139-1234-5678",
        "zhang.san@example.com",
        "110101199003071234",
        "6222 0212",
    ):
        assert secret not in out
    assert counts == {"email": 1, "id_number": 1, "bank_card": 1, "phone": 2}
    assert "20240101" in out  # not PII: left alone


def test_redact_leaves_clean_text_untouched() -> None:
    assert redact("建立跨职能的AI项目团队") == ("建立跨职能的AI项目团队", {})


# --- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("我们如何落地AI？", "zh"),
        ("How do we roll out AI?", "en"),
        ("AI落地计划", "zh"),
        ("what about 权限?", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_segments_keep_verbatim_sentences_and_headings() -> None:
    segs = segments(SECURITY_TEXT)
    assert segs[0].heading and segs[0].clean == "权限与安全控制成为关键障碍"
    assert all(s.raw in SECURITY_TEXT for s in segs)
    assert any(s.raw.endswith("重要。") for s in segs)


def test_imperative_strips_connector_subject_and_modal() -> None:
    assert (
        imperative("为此，企业应重视用户的反馈与市场调研，及时调整产品策略。")
        == "重视用户的反馈与市场调研，及时调整产品策略。"
    )
    assert imperative("此外，管理层也应当为团队提供足够的资源和支持。") == "为团队提供足够的资源和支持。"


@pytest.mark.parametrize(
    "sentence",
    [
        "应用负责人应当由业务部门人员担任，不宜由信息技术人员代替。",  # 应 of 应用
        "需求分析应当在立项前完成。",  # 需 of 需求
        "企业应用AI前应当评估风险。",  # 企业 + 应 of 应用
        "如何应对数据泄露风险。",  # 应 of 应对
    ],
)
def test_imperative_never_cuts_a_word(sentence: str) -> None:
    """A modal is dropped only when it is a word of its own, never the first character of one."""
    out = imperative(sentence)
    assert sentence.endswith(out), out
    assert out[0] not in "用求对", out


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("这些数据的处理不当可能带来法律风险", "risk"),
        ("实施严格的数据访问控制和加密措施，以防止数据泄露和滥用。", "action"),
        ("人才短缺是不可忽视的重要障碍。", "challenge"),
        ("AI驱动的聊天机器人能够24/7全天候为客户提供支持，快速回应客户问题。", None),
        ("企业应定期开展AI相关培训。", "action"),
        ("如果企业内部培训无法满足需求，考虑外包某些技术项目也是一种解决方案。", "action"),  # offered option
        ("这种方法已经在多个行业得到验证。", None),
        ("不得使用个人注册的账号处理工作数据。", "action"),  # a prohibition is a rule to follow
        ("严禁将核心数据输入外部公共工具。", "action"),
    ],
)
def test_classify_sentences(sentence: str, kind: str | None) -> None:
    assert classify(sentence) == kind


# --- support judge ------------------------------------------------------------------------------


def test_chinese_statement_supported_by_its_own_sentence_only() -> None:
    claim = "权限设置和数据加密手段显得尤为重要"
    assert supported(claim, "zh", [SECURITY_TEXT])
    assert not supported(claim, "zh", [ORG_TEXT])


def test_english_statement_mapped_through_glossary() -> None:
    claim = "Encrypt sensitive data and enforce access control"
    assert coverage(claim, "en", [SECURITY_TEXT]) >= 0.5
    assert not supported(claim, "en", [ORG_TEXT])


def test_citation_book_refuses_unknown_ids_and_keeps_quotes_verbatim() -> None:
    book = CitationBook(_evidence(), "zh")
    assert book.cite("not-retrieved", statement="x") is None
    n = book.cite("sec", quote="this quote is not in the chunk", statement="权限设置和数据加密手段")
    assert n == 1
    assert book.citations[0].quote in SECURITY_TEXT
    assert "加密" in book.citations[0].quote


def test_a_quote_inside_another_quote_of_the_same_chunk_is_one_citation() -> None:
    book = CitationBook(_evidence(), "zh")
    sentence = "此外，要建立完善的数据审计机制。"
    longer = "尤其是在涉及敏感信息时，权限设置和数据加密手段显得尤为重要。此外，要建立完善的数据审计机制。"
    first = book.cite("sec", quote=sentence, statement="建立数据审计机制")
    # the longer quote takes the shorter one's number and replaces it
    assert book.cite("sec", quote=longer, statement="权限设置和数据加密") == first
    assert book.cite("sec", quote=sentence, statement="建立数据审计机制") == first
    assert [c.quote for c in book.citations] == [longer]


def test_overlapping_chunks_of_one_document_cite_a_shared_sentence_once() -> None:
    sentence = "如何进行详细的成本效益分析，需要设定可量化的指标。"
    head = f"综上所述，最关注的问题如下：AI价值认知。{sentence}"
    evidence = {
        "a": Evidence(score=1.0, chunk_id="a", source="r.txt", title="R", text=f"前文。{sentence}"),
        "b": Evidence(score=1.0, chunk_id="b", source="r.txt", title="R", text=head),
        "c": Evidence(score=1.0, chunk_id="c", source="other.txt", title="O", text=sentence),
    }
    book = CitationBook(evidence, "zh")
    first = book.cite("a", quote=sentence, statement="成本效益分析")
    assert book.cite("b", quote=head, statement="最关注的问题") == first  # grows to the longer quote
    assert (book.citations[0].chunk_id, book.citations[0].quote) == ("b", head)
    assert book.cite("c", quote=sentence, statement="成本效益分析") != first  # another document


# --- verifier repair ----------------------------------------------------------------------------


def _draft(**kw: object) -> AdoptionPlan:
    base: dict[str, object] = {
        "question": "q",
        "language": "zh",
        "mode": "offline",
        "areas": ["security", "org"],
    }
    return AdoptionPlan.model_validate({**base, **kw})


def test_verifier_recites_drops_and_renumbers() -> None:
    sentence = "尤其是在涉及敏感信息时，权限设置和数据加密手段显得尤为重要。"
    draft = _draft(
        summary="安全方面，权限设置和数据加密手段显得尤为重要[3]。",
        actions=[
            PlanAction(text="建立跨职能的AI项目团队", phase="0-3", owner="CEO", priority="high", area="org",
                       citations=[3]),  # cites the wrong passage: must be re-cited to `org`
            PlanAction(text="发射火箭去月球", phase="3-6", owner="CIO", priority="low", area="tech",
                       citations=[3]),  # supported by nothing: dropped
            PlanAction(text="权限设置和数据加密手段显得尤为重要", phase="0-3", owner="CISO", priority="high",
                       area="security", citations=[9]),  # unknown citation id: repaired from evidence
        ],
        kpis=[PlanKPI(name="数据加密", area="security", citations=[3])],
        citations=[_citation(3, "sec", sentence), _citation(9, "ghost", "幽灵引用")],
    )  # fmt: skip
    statements = collect(draft, _evidence())
    plan = repair(draft, _evidence(), statements, lexical_verdicts(statements, "zh"))
    assert [a.text for a in plan.actions] == ["建立跨职能的AI项目团队", "权限设置和数据加密手段显得尤为重要"]
    assert plan.verification.dropped == 1
    assert plan.verification.recited == 2
    assert plan.verification.statements == 5
    assert plan.verification.supported == 2  # summary sentence and KPI, as drafted
    assert [c.id for c in plan.citations] == list(range(1, len(plan.citations) + 1))
    assert {c.chunk_id for c in plan.citations} <= {"sec", "org"}
    assert all(c.quote in _evidence()[c.chunk_id].text for c in plan.citations)
    assert plan.summary.endswith("[1]。")
    cited = {n for a in plan.actions for n in a.citations} | set(plan.summary_citations)
    assert cited <= {c.id for c in plan.citations}


def test_verifier_turns_a_plan_with_nothing_supported_into_a_refusal() -> None:
    draft = _draft(
        summary="天气很好[1]。",
        actions=[
            PlanAction(text="买股票", phase="0-3", owner="CFO", priority="high", area="market", citations=[1])
        ],
        citations=[_citation(1, "org", ORG_TEXT)],
    )
    statements = collect(draft, _evidence())
    plan = repair(draft, _evidence(), statements, lexical_verdicts(statements, "zh"))
    assert plan.refused and plan.citations == [] and plan.actions == []


# --- streaming and rendering --------------------------------------------------------------------


def test_markdown_of_a_refusal_has_no_sources() -> None:
    plan = AdoptionPlan(
        question="明天天气？", language="zh", mode="offline", refused=True, refusal_reason="无关。"
    )
    md = plan_to_markdown(plan)
    assert "无法回答" in md and "引用来源" not in md and "路线图" not in md


def test_sentences_about_something_named_earlier_do_not_stand_alone() -> None:
    from agents.offline.sentences import analyse
    from agents.offline.units import refers_back

    assert refers_back("这种双管齐下的方式能够有效缓解人才短缺的困境。")
    # a summary once opened on '为此，…': for what, the reader cannot tell
    assert refers_back("为此，企业应制定相应解决方案，以确保AI客服的成功落地。")
    long = (
        "这表现在两个方面：一方面，企业可能会因盲目跟风而投入大量人力去开发不必要的功能；"
        "另一方面，企业若不能及时调整方向，将错失商机。"
    )
    assert not refers_back(long), "a long sentence carries its own content"
    about_one_model = "官方团队也指出了该模型存在的局限性，包括需要进一步完善安全机制、递归推理风险。"
    assert analyse(about_one_model, "security", "zh") == ()
    assert analyse("企业应当建立模型安全评估机制，防范递归推理风险。", "security", "zh")
    # '这可以节省人力成本…' says what the sentence before it achieves; alone it was shown as an action
    this_does = "企业引入AI客服处理常见咨询。这可以节省人力成本，提高工作效率，使企业能够更专注于核心业务。"
    assert all(not s.raw.startswith("这") for s in analyse(this_does, "market", "zh"))
    # '这样' is a connector the classifier strips, which left '不仅能够提高学生的实践能力…' as a step
    so = (
        "企业可以通过与高校建立合作关系，参与课程设置和实习计划，共同培养AI领域的人才。"
        "这样不仅能够提高学生的实践能力，也为企业吸引优秀的应届毕业生提供了有效途径。"
    )
    assert [s.raw[:2] for s in analyse(so, "org", "zh")] == ["企业"]


def test_a_labelled_uncertainty_is_a_risk_not_a_step() -> None:
    from agents.offline.sentences import classify

    # 'X不确定性：…公司需要应对…' names a risk; its '需要' once made it an HR-owned action
    assert (
        classify("监管不确定性：AI 技术的发展可能面临监管政策的不确定性，公司需要应对不断变化的监管环境。")
        == "risk"
    )


def test_a_staffing_follow_up_is_an_organisation_question() -> None:
    """'那人员方面呢？我们一个技术人员都没有' was routed to tech alone (by 技术), and got hiring advice."""
    from agents.language.text import area_scores

    scores = area_scores("那人员方面呢？我们一个技术人员都没有")
    assert max(scores, key=lambda a: scores[a]) == "org"
    assert area_scores("what about staffing?") == {"org": 2}
    assert "security" in area_scores("Our AI showed customers' mobile numbers to another customer.")
