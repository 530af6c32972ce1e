"""A risk's mitigation adds to it: one that restates the risk, or that the risk already says, gives way."""

from __future__ import annotations

from agents.grounding.support import supported
from agents.offline.assemble import Assembler
from agents.state import AreaFindings, Claim, Evidence

RISK = "员工把客户合同上传到公共大模型，可能导致商业秘密外泄。"
RESTATES = "为避免员工把客户合同上传到公共大模型导致商业秘密外泄，应当规范员工上传行为。"  # the risk again
ADDS = "应当部署私有化模型，合同数据分级审批，定期审计。"


def _claim(chunk_id: str, text: str) -> Claim:
    return Claim(text=text, evidence_ids=[chunk_id], quote=text)


def test_a_mitigation_that_only_restates_the_risk_gives_way_to_one_that_adds_to_it() -> None:
    assert supported(f"{RISK} {RESTATES}", "zh", [RESTATES])  # one quote carries the whole pair
    assert not supported(f"{RISK} {ADDS}", "zh", [ADDS])
    evidence = {
        cid: Evidence(chunk_id=cid, score=0.5, source="a.md", title="t", text=text, area="security")
        for cid, text in (("r", RISK), ("m1", RESTATES), ("m2", ADDS))
    }
    findings = AreaFindings(
        area="security", risks=[_claim("r", RISK)], actions=[_claim("m1", RESTATES), _claim("m2", ADDS)]
    )
    risks = Assembler(evidence, "zh")._risks(findings)
    assert [r.mitigation for r in risks] == [ADDS]
