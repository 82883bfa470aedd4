"""Who may call which page: one question, asked in one place.

Every route of the practice server names one rule (the route table in ``server.app``); before
a handler runs, ``decide`` answers "may this visitor do this on this resource?" from the rule,
the visitor and the ids in the URL. The authorization test reads the same table and tries
every route as every kind of visitor, so no route can be added without a rule.

What a refusal looks like depends on who asks, so that it tells nothing to the wrong person:

* someone not signed in, on an advisor's page: sent to the sign-in page;
* an advisor, on another advisor's client, audit or respondent: "not found", exactly as for
  an id that does not exist (ids are not secrets, but their existence is not confirmed);
* a respondent, on any advisor page, or anyone without a respondent's session on the
  questionnaire: "forbidden", with how to open the questionnaire (from the link);
* a tester (a respondent with the role ``tester``) has the recording form of their audit's
  contacts plan and nothing else: "forbidden" on the questionnaire, as a respondent is on
  the recording form.
"""

from __future__ import annotations

from enum import Enum

from auditkit.server.access import Visitor

TESTER = "tester"  # the role of a respondent invited to record test contacts


class Rule(Enum):
    ANYONE = "anyone"
    ADVISOR = "any signed-in advisor"
    CLIENT = "the advisor of the client in the URL"
    AUDIT = "the advisor of the audit in the URL"
    RESPONDENT_OF_AUDIT = "the advisor of the audit, for a respondent of that audit"
    RESPONDENT = "a respondent opened from their link (their own questionnaire only)"
    TESTER = "a tester opened from their link (their audit's recording form only)"


class Decision(Enum):
    ALLOW = 200
    SIGN_IN = 303
    FORBIDDEN = 403
    NOT_FOUND = 404


def decide(visitor: Visitor, rule: Rule, params: dict, database) -> Decision:
    if rule is Rule.ANYONE:
        return Decision.ALLOW
    if rule in (Rule.RESPONDENT, Rule.TESTER):
        # A tester's link opens the recording form only; a respondent's the questionnaire.
        tester = visitor.role == TESTER
        if visitor.respondent_id is not None and tester == (rule is Rule.TESTER):
            return Decision.ALLOW
        return Decision.FORBIDDEN
    if visitor.advisor_id is None:
        return Decision.FORBIDDEN if visitor.respondent_id is not None else Decision.SIGN_IN
    if rule is Rule.ADVISOR:
        return Decision.ALLOW
    return (
        Decision.ALLOW if _owns(visitor.advisor_id, rule, params, database) else Decision.NOT_FOUND
    )


def _owns(advisor_id: int, rule: Rule, params: dict, database) -> bool:
    from auditkit.server.schema import Audit, Client, Respondent

    with database.transaction() as session:
        if rule is Rule.CLIENT:
            client = session.get(Client, params["client"])
            return client is not None and client.advisor_id == advisor_id
        audit = session.get(Audit, params["audit"])
        if audit is None or audit.client.advisor_id != advisor_id:
            return False
        if rule is Rule.RESPONDENT_OF_AUDIT:
            respondent = session.get(Respondent, params["respondent"])
            return respondent is not None and respondent.audit_id == audit.id
        return True
