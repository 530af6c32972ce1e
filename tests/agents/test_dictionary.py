"""The CC-CEDICT lookup finds the Chinese words an English question needs on any corpus:
the seed corpus's vocabulary and a data-protection vocabulary no glossary here was written for."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.language import dictionary
from agents.language.dictionary import Dictionary, load_index


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def cedict(data_dir: Path) -> Dictionary:
    return load_index(data_dir / "dictionary")


def _lookup(d: Dictionary, text: str) -> dict[str, list[str]]:
    return dict(d.english_to_chinese(text))


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("hospital", "医院"),
        ("patient", "患者"),
        ("patients", "患者"),
        ("cross-border", "跨境"),
        ("consent", "同意"),
        ("security", "安全"),
        ("budget", "预算"),
        ("talent", "人才"),
        ("information", "信息"),
        ("encryption", "加密"),
        ("governance", "治理"),
    ],
)
def test_the_common_specific_translation_comes_first(cedict: Dictionary, english: str, chinese: str) -> None:
    assert cedict.english_to_chinese(english)[0] == (english, cedict.word(english))
    assert cedict.word(english)[0] == chinese


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("transfer", "转移"),
        ("transmit", "传输"),
        ("assessment", "评估"),
        ("outbound", "出境"),
        ("inventory", "存货"),
        ("stock", "库存"),
        ("replenish", "补货"),
        ("integration", "整合"),
        ("compatibility", "兼容性"),
        ("training", "培训"),
        ("model", "模型"),
        ("logistics", "物流"),
        ("suppliers", "供应商"),
    ],
)
def test_a_needed_sense_is_among_the_candidates(cedict: Dictionary, english: str, chinese: str) -> None:
    assert chinese in cedict.word(english)


def test_phrases_are_matched_before_their_words(cedict: Dictionary) -> None:
    found = cedict.english_to_chinese("customer service for our supply chain, with return on investment")
    assert [term for term, _ in found] == ["customer service", "supply chain", "return on investment"]
    terms = dict(found)
    assert "客服" in terms["customer service"]
    assert terms["supply chain"][0] == "供应链"
    assert terms["return on investment"][0] == "投资回报率"


def test_two_words_cedict_lacks_as_a_phrase_join_into_a_known_compound(cedict: Dictionary) -> None:
    terms = _lookup(cedict, "How is personal information protected?")
    assert terms["personal information"] == ["个人信息"]
    assert "personal" not in terms and "information" not in terms


def test_a_data_protection_question_maps_every_content_word(cedict: Dictionary) -> None:
    terms = _lookup(
        cedict, "Do we need consent and a security assessment before a cross-border data transfer?"
    )
    assert {"consent", "security", "assessment", "cross-border", "data", "transfer"} <= set(terms)
    assert not {"do", "we", "a"} & set(terms)
    assert terms["data"][0] == "数据"
    assert "评估" in terms["assessment"] and terms["cross-border"] == ["跨境"]


def test_acronyms_stay_as_written_and_stop_words_are_dropped(cedict: Dictionary) -> None:
    found = cedict.english_to_chinese("How can we link the ERP to the MES?")
    assert ("ERP", ["ERP"]) in found and found[-1][1][0] == "MES"
    assert cedict.english_to_chinese("how do we do it") == []


def test_chinese_to_english_gives_labels(cedict: Dictionary) -> None:
    assert cedict.chinese_to_english("跨境") == ["cross-border"]
    assert cedict.chinese_to_english("客服") == ["customer service"]
    assert "restock" in cedict.chinese_to_english("补货")
    assert cedict.chinese_to_english("预算")[0] == "budget"
    # Not a CEDICT entry: read as its longest known parts.
    assert cedict.chinese_to_english("个人信息") == ["individual information"]
    assert cedict.chinese_to_english("㐀㐀") == []


def test_a_cached_index_is_reused_without_rebuilding(
    cedict: Dictionary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_index(tmp_path)
    load_index.cache_clear()

    def _no_rebuild() -> None:
        raise AssertionError("the cached index was rebuilt")

    monkeypatch.setattr(dictionary, "_tables", _no_rebuild)
    again = load_index(tmp_path)
    assert again.word("hospital") == cedict.word("hospital")
    load_index.cache_clear()


def test_the_module_functions_keep_one_dictionary_in_the_data_dir(
    cedict: Dictionary, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from settings import get_settings

    monkeypatch.setenv("ADVISOR_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    dictionary._default.cache_clear()
    try:
        assert dictionary.english_to_chinese("hospital") == [("hospital", cedict.word("hospital"))]
        assert dictionary.chinese_to_english("跨境") == ["cross-border"]
        assert [p.suffix for p in (data_dir / "dictionary").iterdir()] == [".sqlite"]
    finally:
        get_settings.cache_clear()
        dictionary._default.cache_clear()


def test_a_plural_is_read_with_its_base_form() -> None:
    from agents.language.glossary import dictionary_terms

    # CEDICT's own entry for 'logs' is timber; the base form 'log' carries the record sense
    assert "日志" in dictionary_terms("logs")


def test_a_plural_takes_the_words_its_singular_means_as_a_whole() -> None:
    from agents.language.dictionary import english_to_chinese

    # 'teachers' only heads longer senses (国师 'teacher of the nation'); 'teacher' is 教师
    assert english_to_chinese("teachers")[0][1][0] == "教师"
    assert english_to_chinese("officers")[0][1][0] != "官兵"


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        ("What fines can we face for violating these rules?", "罚款", "鱼鳍"),  # fines: no fish fins
        ("Do we need a data protection officer?", "个人信息保护负责人", "军官"),
        ("If our AI vendor processes customer data for us, what must the contract say?", "委托", ""),
        ("Can we set different prices for customers based on their profiles?", "差别待遇", ""),
    ],
)
def test_compliance_english_finds_the_words_rules_use(question: str, wanted: str, unwanted: str) -> None:
    """Over a rules corpus these were refused or answered off-topic: the dictionary's first senses
    of 'fines' and 'officer' are a fish's fins and a military officer."""
    from agents.offline.scope import expand

    expanded = expand(question, "en")
    assert wanted in expanded
    assert not unwanted or unwanted not in expanded


def test_business_words_for_what_rules_name_otherwise_are_synonyms() -> None:
    from agents.language.synonyms import with_synonyms

    assert "差别待遇" in with_synonyms("想用AI做差异化定价")
    assert "个人特征" in with_synonyms("根据用户画像推荐")


def test_the_documents_named_as_themselves_are_not_what_is_asked() -> None:
    """'…for violating these rules?' made 规定/规则 a word of the question, so every article that says
    本规则 or 规定 came along as an answer about fines."""
    from agents.offline.scope import expand

    expanded = expand("What fines can we face for violating these rules?", "en")
    assert "罚款" in expanded and "违反" in expanded
    assert not any(w in expanded for w in ("规定", "规则", "条例"))
    assert "规定" in expand("Which rules apply to cross-border transfers?", "en")  # rules asked about


def test_a_compound_the_segmenter_splits_stays_one_word_of_the_question() -> None:
    """'数据保护官' was cut into 数据保护 + 官, so its synonym 个人信息保护负责人 never matched and the
    question was about '没有' and '专门' (a 30-person shop 'without a lawyer', 'specially')."""
    from agents.offline.focus import Focus

    rules = [
        "第二十二条 处理者应当指定个人信息保护负责人，负责监督个人信息处理活动。",
        "没有违法所得的，处十万元以下罚款。处理者应当制定专门的处理规则。",
    ]
    focus = Focus("我们是一家30人的电商公司，也没有专职法务，是不是必须专门设一个数据保护官？", rules)
    assert {t.word for t in focus.weights} == {"数据保护官"}
    assert focus.score(rules[0]) > 2 * focus.score(rules[1])


def test_a_word_of_two_synonym_groups_has_the_words_of_both() -> None:
    from agents.language.synonyms import alternatives

    assert {"出境", "海外"} <= set(alternatives("境外"))
    assert "海外" not in alternatives("境内")  # data kept in China is not data sent overseas


@pytest.mark.parametrize(
    "question",
    [
        "如果公司在用户数据上违规，最多可能被罚多少钱？",
        "能不能根据用户画像，给不同的用户显示不同的商品价格？",
        "我们在做一款面向小学生的App，收集孩子的学习记录需要注意什么？",
        "Can we use facial recognition on shoppers without their consent?",
        "医院准备把门诊病历交给一家AI公司开发辅助诊断模型，能签吗？",  # was a tech-only question
        "想上线声纹识别，让老客户来电时自动验证身份，要怎么做？",
        # refused as out of scope over a data-security rulebook that sets the broker's duties and fines
        "想在授信模型里接入某数据交易服务商的标签，万一对方的数据来源不合法，我们要承担什么后果？",
        "Is it illegal to buy customer records from a data broker, and who is liable?",
    ],
)
def test_compliance_questions_without_an_ai_word_are_security_questions(question: str) -> None:
    """Over a rules corpus these were refused as out of scope: no area word, no AI word."""
    from agents.language.text import area_scores

    assert area_scores(question).get("security", 0) >= 2


def test_systems_that_do_not_talk_to_each_other_are_data_silos() -> None:
    from agents.language.synonyms import alternatives

    assert "数据孤岛" in alternatives("互不打通")


def test_handling_an_incident_and_the_steps_of_a_project_have_their_rule_words() -> None:
    """'数据泄露后应该怎样报告和处理' missed the article on 事件处置措施 (暂停相关功能、切换人工流程), and
    '上线AI坐席辅助系统的实施步骤' said the documents had nothing on steps over a guide whose stages
    (需求评估、数据准备、试点验证…) are its subject: the rules say 处置 and 阶段."""
    from agents.language.synonyms import alternatives, with_synonyms

    assert "处置" in with_synonyms("应该怎样报告和处理？")
    assert "处罚" in alternatives("处理") and "处罚" not in alternatives("处置")  # 处置 is no penalty
    # one way: '怎样报告和处置' is not answered by rules on 处理个人信息 (processing personal data)
    assert "处理" not in alternatives("处置")
    assert "阶段" in with_synonyms("实施步骤")
    assert "算力" in with_synonyms("需要采购多少GPU")


def test_a_plan_request_is_read_across_its_subject_but_a_start_date_is_none() -> None:
    from agents.offline.scope import plan_shaped

    assert plan_shaped("How should a mid-sized manufacturer start with AI?")
    assert plan_shaped("how can our regional hospital group begin using AI")
    assert not plan_shaped("When should the pilot start?")
    assert not plan_shaped("How long does it take to start the model server?")


def test_a_rule_that_asks_for_the_data_source_is_no_chart_caption_and_keeping_records_no_kpi() -> None:
    """'…应当要求数据提供方说明数据来源…' was dropped as promotion ('数据来源：IDC，易观分析整理' is a
    chart's caption), so the broker's duties never reached the plan; its '留存审核、交易记录' became
    the KPI '留存'."""
    from agents.language.lexicon import PROMO
    from agents.offline.terms import match_metric

    rule = (
        "从事数据交易中介服务的机构提供服务，应当要求数据提供方说明数据来源，"
        "审核交易双方的身份，并留存审核、交易记录。"
    )
    assert not PROMO.search(rule)
    assert PROMO.search("数据来源：IDC，易观分析整理")
    assert match_metric(rule) is None
    assert match_metric("AI原生应用仍需关注用户留存与商业化。") is not None


def test_reporting_subcontracting_and_data_for_sale_have_their_rule_words() -> None:
    """'…病历已经在网上被人兜售。我们必须在多少小时内上报？…对方私自转包' matched neither the breach
    article (泄露, 报告) nor the clause that bars a processor from 再委托."""
    from agents.language.synonyms import alternatives

    assert "报告" in alternatives("上报")
    assert "再委托" in alternatives("转包")
    assert "泄露" in alternatives("兜售")


def test_a_question_about_what_is_forbidden_reaches_the_rules_that_say_must_not() -> None:
    """'员工使用生成式AI工具有哪些禁止事项？' missed '不得使用个人注册的账号处理工作数据':
    rules forbid by 不得."""
    from agents.language.synonyms import alternatives

    assert "不得" in alternatives("禁止") and "禁止" in alternatives("严禁")


def test_a_pasted_contract_with_bank_accounts_is_a_security_incident() -> None:
    """'员工把含客户银行账号的贷款合同粘贴进了外部公共AI翻译工具。现在应该怎么处理？' was routed to
    organisation only: a bank account number is sensitive data, and pasting is the rules' 输入."""
    from agents.language.glossary import glossary_terms
    from agents.language.synonyms import alternatives
    from agents.language.text import area_scores

    question = "员工把含客户银行账号的贷款合同粘贴进了外部公共AI翻译工具。现在应该怎么处理？"
    assert area_scores(question).get("security", 0) >= 2
    assert "输入" in alternatives("粘贴") and "粘贴" not in alternatives("输入")
    assert "复评" in glossary_terms("How often must it be re-reviewed?")


def test_an_account_is_the_rules_zhanghao() -> None:
    """'Can employees use their personal ChatGPT accounts for work?' named 'accounts' as a gap over a
    guideline that says '不得使用个人注册的账号处理工作数据'."""
    from agents.language.glossary import glossary_terms

    assert "个人注册的账号" in glossary_terms("personal accounts")
    assert "账号" in glossary_terms("accounts")


def test_who_must_accept_a_tool_is_the_subject_and_new_is_no_topic() -> None:
    """'How do we get employees to accept new AI tools?' was read as {工具, 接受, 新生}: 'employees'
    was a framing word and 'new' matched 新生 (a content trend's '新生力量')."""
    from agents.offline.focus import Focus
    from agents.offline.scope import expand

    question = expand("How do we get employees to accept new AI tools?", "en")
    words = {t.word for t in Focus(question, ["员工接受新工具", "新生力量"]).weights}
    assert "员工" in words and "新生" not in words


def test_a_chatbot_is_what_a_manager_calls_an_ai_customer_service() -> None:
    """'AI智能客服能带来哪些业务价值？' missed '聊天机器人能够24/7全天候为客户提供支持', the passage's
    own answer, because it says 聊天机器人 where the question says 智能客服."""
    from agents.offline.focus import Focus

    texts = ["AI驱动的聊天机器人能够24/7全天候为客户提供支持，快速回应客户问题。", "企业应当加强数据安全。"]
    focus = Focus("AI智能客服能给企业带来哪些业务价值？", texts)
    assert focus.score(texts[0]) > focus.score(texts[1])
