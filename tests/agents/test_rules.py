"""Prohibited acts listed under a prohibition heading are stated as rules, never as things to do."""

from __future__ import annotations

from agents.offline.rules import as_rule

POLICY = """### （二）鼓励的用法

1. 起草会议纪要和内部通知。

### （三）禁止的行为

1. 将L3敏感数据输入外部公共AI工具。
2. 将AI生成的内容作为法律意见直接提供给客户。
"""


def test_an_item_under_a_prohibition_heading_is_labelled() -> None:
    item = "将AI生成的内容作为法律意见直接提供给客户。"
    assert as_rule(item, item, POLICY, "", "zh") == f"禁止：{item}"
    assert as_rule(item, item, POLICY, "", "en").startswith("Prohibited: ")


def test_items_under_other_headings_and_explicit_rules_are_left_alone() -> None:
    allowed = "起草会议纪要和内部通知。"
    assert as_rule(allowed, allowed, POLICY, "", "zh") == allowed
    explicit = "员工不得将客户数据输入外部工具。"
    text = f"### （三）禁止的行为\n\n{explicit}\n"
    assert as_rule(explicit, explicit, text, "", "zh") == explicit  # it says so itself


def test_a_heading_that_forbids_nothing_labels_nothing() -> None:
    item = "企业必须强化合规性管理，确保遵循相关法律法规。"
    text = f"## 二、数据安全与隐私保护不可忽视，合规性管理至关重要\n\n{item}\n"
    assert as_rule(item, item, text, "", "zh") == item  # 不可忽视: "must not be ignored"


def test_the_section_path_stands_in_when_the_chunk_starts_inside_the_list() -> None:
    item = "试图绕过AI工具的安全设置。"
    assert as_rule(item, item, f"5. {item}", "三、使用场景 > （三）禁止的行为", "zh") == f"禁止：{item}"
    assert as_rule(item, item, f"5. {item}", "三、使用场景 > （二）鼓励的用法", "zh") == item


def test_an_obligation_is_never_labelled_a_prohibition() -> None:
    """'企业…必须强化合规性管理' is a duty: neither its heading nor its own words forbid anything."""
    duty = "企业在推动AI落地的过程中，必须强化合规性管理，确保遵循相关法律法规。"
    for heading in ("## 四、数据安全与隐私保护不可忽视，合规性管理至关重要", "## 企业不得不重视合规"):
        text = f"{heading}\n\n{duty}\n"
        assert as_rule(duty, duty, text, "", "zh") == duty
        clause = "必须强化合规性管理，确保遵循相关法律法规。"
        assert as_rule("强化合规性管理。", clause, text, "", "en") == "强化合规性管理。"


def test_only_items_under_a_forbidding_heading_or_lead_in_are_labelled() -> None:
    prose = "违反上述规定的，按照集团奖惩制度处理。"
    item = "未经复核直接对外发布AI生成的内容。"
    text = f"### （三）禁止的行为\n\n以下行为一经发现将严肃处理。\n\n1. {item}\n\n{prose}\n"
    assert as_rule(prose, prose, text, "", "zh") == prose  # the heading's prose, not one of its items
    assert as_rule(item, item, text, "", "zh") == f"禁止：{item}"
    lead_in = f"员工不得有下列行为：\n\n- 共享单点登录账号；\n- {item}\n"
    assert as_rule(item, item, lead_in, "第六章 账号与权限", "zh") == f"禁止：{item}"
    allowed = f"员工可以在下列场景使用AI工具：\n\n- 起草内部通知；\n- {item}\n"
    assert as_rule(item, item, allowed, "", "zh") == item
