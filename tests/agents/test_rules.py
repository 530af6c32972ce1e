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
