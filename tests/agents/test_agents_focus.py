"""Question-focused offline answers: relevance, answer units, heading quotes, summary lead."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from agents.grounding.citations import CitationBook
from agents.offline.answer import direct_answers
from agents.offline.focus import Focus
from agents.offline.mitigation import own_mitigation
from agents.offline.question import key_phrases, question_terms
from agents.offline.units import answer_units, thicken
from agents.service import run_plan
from agents.state import Evidence
from graph import graph
from settings import Settings

REPORT = (
    "趋势7：硬件全面AI化\n\n"
    "硬件AI化会带来新的用户体验，企业应关注投入产出比。\n"
    "2025年，硬件AI化仍然会延续如下品类的更新换代，即手机、PC和教育硬件的AI化和持续规模扩张。\n\n"
    "● 可能面临的挑战\n\n"
    "- 战略风险高：将全部资源投入 AI 存在较大的战略风险。\n"
    "- 人才短缺：专业人才稀缺，招聘和留住高素质人才可能成为难题。\n\n"
    "金融\t代码助手\t智能风控\t智能投研\n"
    "\t反欺诈/反洗钱\t智能投顾\t智能客服\n"
)
HEADED = (
    "## 一、无摩擦的技术整合是首要难题\n\n"
    "技术整合是企业实现AI落地的基本前提。大多数企业需要将新技术与现有系统结合。"
)


def _df(counts: dict[str, int], total: int = 100) -> Any:
    return lambda word: (counts.get(word, 50), total)


def test_rare_topic_word_outweighs_common_words_and_framing_is_ignored() -> None:
    df = _df({"医疗": 3, "行业": 60, "模型": 70, "方向": 40})
    focus = Focus("行业大模型在医疗领域有哪些落地方向？", ["医疗 行业 模型 方向"], df=df)
    weights = {t.word: w for t, w in focus.weights.items()}
    assert weights["医疗"] > 2 * weights["行业"] and "领域" not in weights  # '领域' frames, not names
    assert focus.score("在医疗行业，AI可以辅助诊断。") > focus.score("行业模型的应用需要生态创新。")


def test_a_passing_mention_in_an_enumeration_counts_less() -> None:
    focus = Focus("金融行业怎样用AI？", ["金融", "金融、教育、零售等"], df=_df({"金融": 5}))
    assert focus.score("同样在金融行业，AI能审核贷款。") > focus.score("渗透到教育、金融、零售等多个行业。")


def test_purpose_and_setting_clauses_are_background() -> None:
    terms = {t.word: t for t in question_terms("为了支撑AI模型训练，企业应该怎样提升数据质量？")}
    assert terms["训练"].background and not terms["质量"].background
    assert {t.word for t in question_terms("实施AI客服时，应该自己培养团队还是外包？")} >= {"外包"}


def test_key_phrases_are_the_rarest_the_knowledge_base_contains() -> None:
    df = _df({"医疗领域": 0, "医疗": 4, "领域": 30, "行业": 60, "模型": 70})
    assert key_phrases("行业大模型在医疗领域有哪些落地方向？", df) == ["医疗"]


def test_answer_units_keep_lists_tables_and_headings_verbatim() -> None:
    units = answer_units(REPORT)
    assert all(u.quote in REPORT for u in units)
    shown = {u.text for u in units}
    assert "可能面临的挑战：战略风险高、人才短缺" in shown
    assert "金融：代码助手、智能风控、智能投研" in shown
    rows = [u for u in units if u.kind == "table"]
    assert rows[1].label == "金融" and "反欺诈" in rows[1].text  # a continued row keeps its label


def test_a_bare_heading_quote_carries_the_sentence_under_it() -> None:
    quote = thicken(HEADED, "一、无摩擦的技术整合是首要难题")
    assert quote == "一、无摩擦的技术整合是首要难题\n\n技术整合是企业实现AI落地的基本前提。"
    assert quote in HEADED
    assert thicken(HEADED, "技术整合是企业实现AI落地的基本前提。") == "技术整合是企业实现AI落地的基本前提。"
    ev = {"h": Evidence(score=1.0, chunk_id="h", source="a.md", title="A", text=HEADED)}
    book = CitationBook(ev, "zh")
    book.cite("h", quote="一、无摩擦的技术整合是首要难题", statement="技术整合是首要难题")
    assert book.citations[0].quote == quote


def test_direct_answers_pick_what_the_question_asks() -> None:
    ev = [Evidence(score=1.0, chunk_id="r", source="r.txt", title="R", text=REPORT)]
    answers = direct_answers("2025年硬件AI化会在哪些品类率先落地？", ev, "zh", limit=1)
    assert answers and "手机、PC和教育硬件" in answers[0].text
    assert answers[0].quote in REPORT and answers[0].chunk_id == "r"


def test_an_inline_list_answers_what_its_thesis_sentence_names() -> None:
    """'AI可以通过哪些方式提升运营效率？' skipped the document's own list of ways, which names neither
    运营 nor 效率: the sentence before it does ('AI已经成为提升企业运营效率的重要工具。')."""
    text = (
        "企业在数字化转型中面临许多挑战。**AI已经成为提升企业运营效率的重要工具。** "
        "1、通过自动化重复性任务，AI能够显著减少人工成本；2、利用数据分析，AI可以提供业务洞察。\n\n"
        "对于内容方，AI可以优化运营与变现路径。"
    )
    ev = [Evidence(score=1.0, chunk_id="s", source="s.txt", title="S", text=text)]
    quotes = [a.quote for a in direct_answers("AI可以通过哪些方式提升企业的运营效率？", ev, "zh", limit=3)]
    assert any(q.startswith("1、通过自动化重复性任务") for q in quotes), quotes


def test_a_risk_that_names_its_remedy_keeps_it() -> None:
    pair = own_mitigation(
        "数据安全风险：引入外部技术可能带来数据泄露的风险，需要加强数据安全管理", "security", "zh"
    )
    assert pair == ("数据安全风险：引入外部技术可能带来数据泄露的风险。", "加强数据安全管理。")
    assert own_mitigation("企业可能面临数据泄露的风险。", "security", "zh") is None


@pytest.fixture(scope="module")
def offline(seed_store: Any, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("focus"), mode="offline", embedder="hash", openai_api_key=None
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("AI客服怎样设计人性化的交互流程？", "自然语言处理"),
        ("怎样降低AI模型的推理成本？", "模型压缩"),
    ],
)
def test_a_narrow_question_is_answered_in_the_summary(
    seed_store: Any, offline: Settings, question: str, expected: str
) -> None:
    plan = asyncio.run(run_plan(graph, question, store=seed_store, settings=offline))
    assert not plan.refused and plan.summary.startswith("资料要点：")
    assert expected in plan.summary.split("。资料指出")[0]
    assert plan.summary_citations and all(c.quote for c in plan.citations)


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_an_english_narrow_question_is_answered_by_quotes_not_canned_english(
    seed_store: Any, offline: Settings
) -> None:
    plan = asyncio.run(
        run_plan(
            graph,
            "How can AI help manufacturers predict equipment failures?",
            store=seed_store,
            settings=offline,
        )
    )
    assert not plan.refused and plan.language == "en"
    assert "设备" in plan.summary  # the evidence on equipment failures, quoted as it stands
    assert plan.notes and "does not translate" in plan.notes[0]
    # offline mode writes no English sentence of its own: every summary sentence quotes Chinese evidence
    assert all(CJK.search(s) for s in re.split(r"(?<=[。.])\s*", plan.summary) if s.strip())


def test_a_search_repeated_within_a_moment_is_answered_once_per_caller_groups() -> None:
    from agents.env import Env, search

    class CountingStore:
        calls: list[tuple[str, object]] = []

        def search(self, query: str, k: int, *, groups: Any = None, method: str = "hybrid") -> list[Any]:
            self.calls.append((query, groups))
            return []

    store = CountingStore()
    public = Env(Settings(), store, ["public"])  # type: ignore[arg-type]
    for _ in range(3):
        search(public, "医疗", 8)
    search(Env(Settings(), store, ["public", "hr"]), "医疗", 8)  # type: ignore[arg-type]
    assert store.calls == [("医疗", ["public"]), ("医疗", ["public", "hr"])]


MODELS_TAB = (
    "评测对象如下：\n\n机构\t模型\t开闭源\n字节跳动\tDoubao-pro\t闭源\n"
    "百度\tERNIE 4.0 Turbo\t闭源\n阿里巴巴\tQwen-Max\t闭源"
)
MODELS_MD = (
    "评测对象如下：\n\n| 机构 | 模型 | 开闭源 |\n| --- | --- | --- |\n| 字节跳动 | Doubao-pro | 闭源 |\n"
    "| 百度 | ERNIE 4.0 Turbo | 闭源 |\n| 阿里巴巴 | Qwen-Max | 闭源 |"
)


def test_markdown_tables_from_ingest_read_like_tab_separated_rows() -> None:
    """Ingest writes every table (PDF, docx, pptx, xlsx, csv, html) as Markdown; the engine reads
    its rows, and the whole table under its header, as it reads tab-separated ones."""
    tab = [u.text for u in answer_units(MODELS_TAB) if u.kind == "table"]
    md = [u for u in answer_units(MODELS_MD) if u.kind == "table"]
    assert [u.text for u in md] == tab and len(tab) == 5
    # every cell whole under its column name: a reader sees which value belongs to which column
    assert md[0].text.startswith(
        "机构、模型、开闭源：字节跳动（模型：Doubao-pro；开闭源：闭源）；百度（模型：ERNIE 4.0 Turbo"
    )
    assert all(u.quote in MODELS_MD and "---" not in u.text for u in md)


def test_an_introduction_without_words_opens_no_list() -> None:
    units = answer_units("：\n- 第一项措施\n- 第二项措施")  # once an IndexError that failed the plan
    assert [u.text for u in units if u.kind == "list"] == []


def test_a_roll_of_brand_names_is_no_answer() -> None:
    logos = "中国邮政储蓄银行 POSTAL SAVINGS BANK OF CHINA 邮晓蕊 inspir.ai 启元世界 科大讯飞 iFLYTEK"
    fact = "银行通过AI进行信贷风险评估，能够提高审批效率。"
    ev = [Evidence(score=1.0, chunk_id="b", source="b.txt", title="B", text=f"{logos}\n\n{fact}")]
    answers = direct_answers("银行怎样用AI？", ev, "zh", limit=3)
    assert [a.quote for a in answers] == [fact]


def test_each_of_several_questions_is_answered_on_its_own() -> None:
    from agents.offline.question import sub_questions

    question = "AI模型上线之前要做哪些风险评审？评审看什么？"
    assert sub_questions(question) == ["AI模型上线之前要做哪些风险评审？", "评审看什么？"]
    texts = [
        "第三十四条 二级和三级应用上线前应当通过模型风险评审。",
        "第三十五条 模型风险评审主要包括以下内容：（四）公平性",
        "第三十六条 人工智能应用上线后应当持续监控模型表现。",
        "第十条 财务部负责人工智能项目的预算审核。",
    ]
    whole = Focus(question, texts, anchored=True)
    alone = Focus("评审看什么？", texts, anchored=True)
    # the list of what a review looks at need not say '上线之前', which the first question asked ...
    assert whole.score(texts[1]) > 0.7 and alone.score(texts[1]) > 0.5
    # ... but a sub-question is asked about the rest: a budget '审核' answers '评审看什么？' alone, not here
    assert whole.score(texts[3]) < 0.5 * whole.score(texts[1]) and alone.score(texts[3]) > 0.5
    assert sub_questions("How do we start? What first?") == ["How do we start? What first?"]
    # what follows the last question (the profile's industry, a thread's topic) is context
    assert sub_questions("想用AI辅助信贷审核，有什么建议？ 银行") == ["想用AI辅助信贷审核，有什么建议？ 银行"]


def test_asks_listed_in_one_sentence_are_each_answered() -> None:
    """'风险等级怎么定、由谁审批、上线前要满足什么条件？' was one question: no rule matched enough of it
    to count, and the plan had no steps; now each ask is a question, answered by its own rule."""
    from agents.offline.question import sub_questions

    question = "我们想用AI做动态定价，预算300万元。风险等级怎么定、由谁审批、上线前要满足什么条件？"
    assert sub_questions(question) == ["风险等级怎么定？", "由谁审批？", "上线前要满足什么条件？"]
    assert sub_questions("客户、员工和供应商的数据怎么管？") == ["客户、员工和供应商的数据怎么管？"]
    assert sub_questions("哪些数据、哪些场景不能用？") == [
        "哪些数据、哪些场景不能用？"
    ]  # one ask, two subjects
    # asks joined by '，' too, after a clause that only sets the scene
    assert sub_questions("数据使用上要办哪些手续，日志要保存多久？") == [
        "数据使用上要办哪些手续？",
        "日志要保存多久？",
    ]
    assert sub_questions("如果先试点，试点要多久、范围多大？") == ["试点要多久？", "范围多大？"]
    assert sub_questions("为了合规，我们该怎么做？") == ["为了合规，我们该怎么做？"]
    assert sub_questions("试点要多久、范围多大、期间要做什么？") == [
        "试点要多久？",
        "范围多大？",
        "期间要做什么？",
    ]
    rules = (
        "第十五条 审批权限按照风险等级和预算金额确定：预算50万元以上的，报分管副总裁审批。\n\n"
        "第十八条 人工智能应用正式上线应当具备以下条件：完成安全测试，制定应急预案。\n\n"
        "第五十条 立项预算应当完整列示软件许可费、算力费用和培训费用。"
    )
    ev = [Evidence(score=1.0, chunk_id="p", source="p.md", title="制度", text=rules)]
    quotes = " ".join(a.quote for a in direct_answers(question, ev, "zh", limit=2))
    assert "第十五条" in quotes and "第十八条" in quotes, quotes


def test_english_asks_joined_by_commas_are_each_a_question() -> None:
    """'Who approves it, is this … allowed, and how often must it be re-reviewed…?' found nothing: each
    article matched a fifth of the question, under the bar a question of rule sets."""
    from agents.offline.question import sub_questions
    from agents.offline.scope import expand

    question = (
        "The budget is RMB 2.6 million. Who approves it, is this level of automation allowed, "
        "and how often must it be re-reviewed after launch?"
    )
    asks = sub_questions(expand(question, "en"))
    assert len(asks) == 3 and asks[0].startswith("Who approves it?") and "复评" in asks[2]
    assert sub_questions(expand("How do we start?", "en")) == [expand("How do we start?", "en")]
    rules = ["第三十七条 三级应用每6个月复评一次，二级应用每年复评一次。", "第十三条 各单位应当指定联络员。"]
    assert Focus(expand(question, "en"), rules).score(rules[0]) > 0.5


def test_an_english_word_counts_once_whichever_chinese_rendering_a_text_uses() -> None:
    from agents.offline.scope import expand
    from agents.offline.senses import sense_groups

    question = expand("What extra controls do high risk applications need?", "en")
    groups = sense_groups(question)
    assert any({"三级", "高风险"} <= g for g in groups)  # a qualifier's forms are one value
    texts = [
        "第二十七条 三级应用的日志应当保存不少于3年，并实施额外的访问控制。",
        "第十三条 各单位应当指定联络员。",
        "第五条 高风险业务接受监督。",  # the other renderings occur in the documents too
    ]
    focus = Focus(question, texts)
    # the rule for the level, saying 控制 (not 监督) and 三级 (not 高风险), matches all the question asks
    assert focus.score(texts[0]) > 0.7  # 0.57 when each rendering counted as a word of its own
    assert focus.score(texts[1]) < 0.2


def test_a_faq_pair_answers_on_its_question_words() -> None:
    from agents.offline.faq import qa_units

    passage = (
        "## 常见问题\n\n问：可以用AI工具翻译客户发来的合同吗？\n"
        "答：合同文本属于L3敏感数据，不能使用外部公共AI工具翻译。\n"
    )
    (pair,) = qa_units(passage)
    assert pair.quote in passage and pair.quote.startswith("问：") and pair.quote.endswith("翻译。")
    evidence = [Evidence(chunk_id="c1", source="faq.md", title="指引", text=passage, score=1.0)]
    answers = direct_answers("员工能把客户合同翻译交给AI工具吗？", evidence, "zh")
    assert answers and answers[0].quote == pair.quote  # the pair, not the answer line alone


def test_a_follow_up_prefers_what_its_thread_asked_about() -> None:
    texts = [
        "第四十五条 人力资源部每年组织人工智能基础知识与安全培训，全体员工每年参加不少于4学时。",
        "第五节 推广上线阶段：项目组组织使用人员培训和考核。",
    ]
    question = "那培训由谁组织？"
    alone = Focus(question, texts)
    continued = Focus(question, texts, context="员工每年需要参加多少学时的人工智能培训？")
    assert alone.score(texts[0]) == alone.score(texts[1])  # both say who organises training
    assert continued.score(texts[0]) > continued.score(texts[1])  # the yearly staff training asked about
    # the thread's words only weigh as background: the question's own words still decide most
    assert continued.score(texts[0]) - alone.score(texts[0]) < 0.5 * alone.score(texts[0])


def test_the_clauses_before_the_asking_one_set_the_scene() -> None:
    from agents.offline.question import setting_clauses

    question = "AI系统做出的决定损害了客户利益，谁来承担责任？"
    assert setting_clauses(question) == ("AI系统做出的决定损害了客户利益",)
    terms = {t.word: t.background for t in question_terms(question)}
    assert terms["承担责任"] is False and terms["客户"] is True
    # '…，有什么建议？' asks about the whole scene, so nothing in it is mere background
    assert setting_clauses("我们是一家城商行，想用AI辅助信贷审核，有什么建议？") == ()
    texts = [
        "第十二条 应用单位是人工智能应用的责任主体。",
        "第三十九条 面向客户的生成内容应当标识。",
        "客户利益。",
    ]
    focus = Focus(question, texts)
    assert focus.score(texts[0]) > focus.score(texts[1])  # who bears it, not what the scene names


def test_an_item_answers_through_its_documents_title() -> None:
    title = "员工使用生成式人工智能工具指引"
    passage = "### （二）须经部门负责人同意的场景\n\n- 生成对外发布的宣传材料、新闻稿；\n"
    other = "生成式AI工具可以用来整理会议纪要和翻译内部文件。"
    evidence = [
        Evidence(score=1.0, chunk_id="g", source="g.md", title=title, text=passage),
        Evidence(score=0.9, chunk_id="o", source="g.md", title=title, text=other),
    ]
    answers = direct_answers("生成式AI工具能用来写对外新闻稿吗？", evidence, "zh")
    # the item never repeats the guideline's subject (生成式 AI 工具): its title says it for it
    assert answers and "须经部门负责人同意" in answers[0].text and "新闻稿" in answers[0].text
    assert len(answers) == 1  # so the sentence that merely repeats the subject falls far behind it


APPROVALS_MD = (
    "| 情形 | 审核 | 审批 | 备案 |\n| --- | --- | --- | --- |\n"
    "| 一级应用且预算50万元以下 | 应用单位 | 应用单位负责人 | 信息技术部 |\n"
    "| 二级应用，或者预算50万元（含）至500万元 | 信息技术部、风险合规部 | 分管副总裁 | 管委会 |\n"
    "| 三级应用，或者预算500万元（含）以上 | 信息技术部、风险合规部、财务部会审 | 管委会 | 管委会 |"
)


def test_a_whole_table_keeps_every_cell_whole() -> None:
    """A table's statement once cut each cell at 16 characters and dropped its last column, so
    '预算50万元（含）至500万元' lost its upper bound and the 备案 column disappeared."""
    whole = next(u for u in answer_units(APPROVALS_MD) if u.kind == "table" and "\n" in u.quote)
    assert (
        "二级应用，或者预算50万元（含）至500万元（审核：信息技术部、风险合规部；审批：分管副总裁；备案：管委会）"
        in whole.text
    )
    assert "财务部会审" in whole.text and whole.text.endswith("。")


def test_a_sub_question_is_read_with_the_case_the_question_describes() -> None:
    """'事后要提交什么？' asks what to file after the incident described before it: a rule that says
    提交 about a weekly report once outranked the article that classifies the incident."""
    question = "我们的库存预测系统发生了L2内部数据泄露，业务中断了2个小时。属于哪一级事件？事后要提交什么？"
    texts = [
        "第四十条 安全事件分为三级：（二）较大事件：L2数据泄露，或者导致业务中断1小时以上、4小时以下。",
        "第四十三条 事件处置完毕后10个工作日内，应用单位应当提交事件分析报告。",
        "问：可以用AI工具写周报吗？答：可以，应使用清单内的工具，并在提交前核对内容。",
        "第十条 财务部负责人工智能项目的预算审核。",
    ]
    focus = Focus(question, texts, anchored=True)
    incident, report, weekly = (focus.score(t) for t in texts[:3])
    assert incident > weekly and report > weekly


def test_an_english_acronym_and_its_split_rendering_are_one_word_of_the_question() -> None:
    from agents.offline.scope import expand

    question = expand("How do we measure the ROI of a pilot?", "en")
    texts = [
        "企业要看清相关的成本投入，从而形成ROI测算逻辑。",
        "进行详细的成本效益分析，关注投资回报率。",
        "开展用户试点评估与快速迭代。",
        "员工应定期参加培训。",
    ]
    focus = Focus(question, texts)
    # 'ROI' as the document writes it and 投资回报 (which the segmenter splits into 投资 and 回报)
    # name the same thing: each text that names it earns the same credit for it
    assert abs(focus.score(texts[0]) - focus.score(texts[1])) < 0.05
    assert focus.score(texts[1]) > focus.score(texts[3])


def test_long_unmarked_headings_that_open_a_passage_are_sections_not_a_list() -> None:
    sections = (
        "数据隐私和安全合规，从而保障AI在商业应用中的可持续和可靠性\n\n企业需要确保AI系统遵守数据保护法规。\n\n"
        "选择合适的合作伙伴与供应商\n\n选择合适的AI供应商对于企业来说至关重要。\n\n"
        "业务为纲，机制兜底，企业组织发展模式将发生深刻变革\n\n组织需要变革。\n"
    )
    assert not [u for u in answer_units(sections) if u.kind == "list"]
    names = "模型驾驭能力\n\n这涉及对模型的理解、调整和优化能力。\n\n产品边界\n\n明确产品边界至关重要。\n"
    opening = [u for u in answer_units(names) if u.kind == "list" and u.opening]
    assert opening and opening[0].text == "模型驾驭能力、产品边界"


def test_a_rules_short_list_of_conditions_is_no_mention_in_passing() -> None:
    """'发生个人信息泄露、篡改、丢失的' is the rule for a leak; it scored half of a sentence that
    mentions leaks on the way to something else."""
    rule = "发生或者可能发生个人信息泄露、篡改、丢失的，处理者应当立即采取补救措施，并通知有关部门和个人。"
    aside = "敏感个人信息是一旦泄露或者非法使用，容易导致人格尊严受到侵害的个人信息。"
    listed = "AI已在金融、教育、零售、泄露检测等多个领域落地。"
    focus = Focus("数据泄露后要做什么？", [rule, aside, listed])
    assert focus.score(rule) >= focus.score(aside) > focus.score(listed)


def test_a_word_the_texts_name_otherwise_earns_nothing_for_its_pieces() -> None:
    """'数据保护官' is 个人信息保护负责人 in the rules; its pieces 数据 and 保护 are in every data
    article, and the 30-person shop's plan cited five of them as if they answered it."""
    from agents.offline.focus import Focus

    rules = [
        "第二十二条 处理者应当指定个人信息保护负责人。",
        "第五条 数据处理者应当建立数据分类分级制度，采取相应的保护措施。",
    ]
    focus = Focus("是不是必须设一个数据保护官？", rules)
    assert focus.score(rules[0]) > 0.75
    assert focus.score(rules[1]) == 0.0


def test_a_verdict_asked_of_the_scene_is_no_topic() -> None:
    """'…这样做合规吗？' asks whether the scene is allowed: an article on compliance audits (合规审计)
    is not its answer, the one on face-recognition devices is."""
    from agents.offline.focus import Focus

    rules = [
        "第十二条 在经营场所安装图像采集、个人身份识别设备的，应当设置提示标识。",
        "第二十三条 处理者应当定期进行合规审计。",
    ]
    focus = Focus("门店想装人脸识别摄像头做营销，这样做合规吗？", rules)
    assert focus.score(rules[1]) == 0.0 < focus.score(rules[0])


def test_how_to_handle_asks_about_the_scene() -> None:
    """'…泄露出去了，接下来应该怎么处理？': the leak is what is asked about, not background."""
    from agents.offline.question import question_terms

    terms = {t.word: t for t in question_terms("我们把一批用户的手机号泄露出去了，接下来应该怎么处理？")}
    assert not terms["泄露"].background


def test_a_verb_and_object_no_text_uses_is_about_the_object() -> None:
    """'签合同时必须写清楚哪些内容？': no rule says 签合同, the deciding one says 书面合同. Credited as
    a piece of a compound, it lost to an article on audits that shared only 内容."""
    from agents.offline.focus import Focus

    rules = [
        "第八条 处理者委托他人处理个人信息的，应当与受托人以书面合同约定委托处理的目的、期限。",
        "风险评估报告应当包括所处理重要数据的种类、数量等内容。",
    ]
    focus = Focus("找外包公司处理客户数据，签合同时必须写清楚哪些内容？", rules, anchored=True)
    assert focus.score(rules[0]) > focus.score(rules[1])


def test_an_english_question_s_scene_is_context_not_what_it_asks() -> None:
    """'Our logistics company wants to connect shipment records and customer contact details…
    With a small IT team…, what security and governance controls should be in place before
    go-live?': contact details (联系方式), records and go-live outweighed the controls asked for."""
    from agents.offline.question import english_scene, question_terms
    from agents.offline.scope import expand

    question = (
        "Our logistics company wants to connect customer contact details to an AI assistant. "
        "With a small IT team, what security controls should be in place before go-live?"
    )
    scene, asked = english_scene(question)
    assert "logistics" in scene and "go-live" in scene and "With a small IT team" in scene
    assert "security" in asked and "安全" in asked
    terms = {t.word: t for t in question_terms(expand(question, "en"))}
    assert terms["联系方式"].background and not terms["安全"].background
    assert english_scene("What security controls do we need?") == ("", set())


def test_a_statement_before_the_question_in_one_sentence_is_scene() -> None:
    """'…项目结束后还能用这些数据给其他医院做产品。这样能签吗？': the clause ending in 。 was read together
    with '这样能签吗', so 产品 became what the hospital asked about."""
    from agents.offline.question import setting_clauses

    question = "对方希望数据放在他们的服务器上，项目结束后还能用这些数据做产品。这样能签吗？"
    assert "项目结束后还能用这些数据做产品" in setting_clauses(question)


def test_every_translation_the_asking_clause_does_not_give_is_scene() -> None:
    """'If we share our customer list with a partner company to train a … model, what do we need
    from our customers first?': 'train' also reads 培训 (staff training), which came from no clause
    in particular and so counted as asked; a training article outranked the one on sharing."""
    from agents.offline.question import question_terms
    from agents.offline.scope import expand

    question = (
        "If we share our customer list with a partner company to train a joint recommendation model, "
        "what do we need from our customers first?"
    )
    terms = {t.word: t for t in question_terms(expand(question, "en"))}
    assert terms["培训"].background and not terms["客户"].background


def test_a_rule_that_names_the_question_only_as_list_items_is_about_something_else() -> None:
    """'把客户的聊天记录…上传到海外…做分析' cited the camera article first: it matched 客户 and 分析 only
    inside '不得用于营销、客户分析等其他目的', as much as the cross-border article matched 海外."""
    question = "我们想把客户的聊天记录和订单数据上传到海外的云端大模型服务做分析，需要走哪些流程？"
    camera = (
        "第十二条 在公共场所或者经营场所安装图像采集、个人身份识别设备的，应当以维护公共安全为必要。"
        "通过上述设备收集的个人图像只能用于维护公共安全，不得用于营销、客户分析等其他目的。"
    )
    abroad = "第十六条 处理者因业务需要确需向境外提供个人信息的，应当通过国家网信部门组织的安全评估。"
    others = ["第五条 处理者应当对客户数据进行分类。", "第七条 个人信息的保存期限应当为最短时间。"]
    texts = [camera, abroad, *others]
    focus = Focus(question, texts)
    assert focus.score(camera) < 0.75 * focus.score(abroad)  # it was level with it
    # named in its own right, a word keeps its full credit
    assert focus.score("客户数据用于分析前应当去标识化。") > focus.score(camera)


def test_a_piece_of_a_compound_no_text_names_in_full_is_little_evidence() -> None:
    """'把客户的聊天记录…上传到海外' led with a data-broker article through '交易记录': 记录 alone earned
    most of 聊天记录's weight although no text says 聊天 at all."""
    from agents.offline.focus import PARTIAL

    question = "我们想把客户的聊天记录上传到海外做分析，需要走哪些流程？"
    broker = "第十条 数据交易机构应当审核交易双方的身份，并留存审核、交易记录。"
    abroad = "第十六条 处理者因业务需要确需向境外提供个人信息的，应当通过安全评估。"
    focus = Focus(question, [broker, abroad, "第五条 处理者应当对客户的个人信息进行分类。"])
    chat = next(t for t in focus.weights if t.word == "聊天记录")
    share = focus.weights[chat] / focus.total
    assert 0 < focus.score(broker) <= PARTIAL * share / 2 + 1e-9  # half a part's credit: 聊天 is missing
    assert focus.score(abroad) > focus.score(broker)
    # generic words of any sentence ('病历结构化的工作', '发现') weigh nothing
    assert not {"工作", "发现"} & {t.word for t in Focus("刚发现外包方把这项工作转包了", [broker]).weights}


def test_one_word_of_the_question_in_another_trades_practice_is_no_answer() -> None:
    """'海外' is all a film studio's costs share with '使用海外大模型API有什么风险': that led a plan. The
    same lone word in the asker's own trade may still answer (a hospital's '病历' row)."""
    film = "动画电影普遍花费3-7年时间制作而成，距离海外皮克斯等公司的制作投入相比，仍有差距。"
    others = [  # API and 大模型 are common here, so 海外 weighs most, as over the seed corpus
        "企业可以通过API调用通用大模型的能力。",
        "大模型API的调用成本已经大幅下降。",
        "通过API把大模型接入现有系统，需要统一的接口规范。",
    ]
    ev = [
        Evidence(score=1.0, chunk_id="f", source="r.txt", title="R", section="动画电影", text=film),
        *(
            Evidence(score=0.5, chunk_id=f"o{i}", source="r.txt", title="R", text=o)
            for i, o in enumerate(others)
        ),
    ]
    question = "我们的客户数据不能出境，使用海外大模型API有什么风险？"
    assert not [a for a in direct_answers(question, ev, "zh") if a.chunk_id == "f"]
    # the same film passage does answer a question its trade's word and a second word share
    assert [
        a for a in direct_answers("动画电影的制作成本和海外公司差距多大？", ev, "zh") if a.chunk_id == "f"
    ]


def test_an_english_ask_led_by_a_preposition_is_an_ask_and_its_own_answer_is_kept() -> None:
    """'Within how many hours must we report it…, and how long must the logs be retained?' asks two
    things; the reporting rule shares no word with the second ask and must still answer the first."""
    from agents.offline.answer import direct_answers
    from agents.offline.question import sub_questions
    from agents.offline.scope import expand
    from agents.state import Evidence

    question = (
        "Our credit model leaked customer records. Within how many hours must we report it to the IT "
        "department, and how long must the model's logs be retained?"
    )
    asks = sub_questions(expand(question, "en"))
    assert len(asks) == 2 and asks[0].startswith("how many hours"), asks
    rules = [
        "第二十七条 人工智能应用的输入、输出和操作日志应当保存不少于180日；三级应用的日志应当保存不少于3年。",
        "第四十一条 发现安全事件后，应用单位应当立即采取控制措施，并在2小时内报告信息技术部。",
        "第十条 员工调岗或者离职时，AI工具的使用日志由信息技术部统一保存。",
    ]
    evidence = [
        Evidence(
            chunk_id=f"c{i}",
            score=0.9 - i / 10,
            source="p.md",
            title="制度",
            section="",
            text=t,
            area="security",
        )
        for i, t in enumerate(rules)
    ]
    quotes = [a.quote for a in direct_answers(expand(question, "en"), evidence, "en")]
    assert any(q.startswith("第四十一条") for q in quotes), quotes
