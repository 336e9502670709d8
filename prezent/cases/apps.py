from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "prezent.cases"
    label = "cases"

    def ready(self) -> None:
        # The early warning's "open a case file" is done by a fact of this app: risk asks through its registry
        # (prezent/risk/alerts/steps.py, docs/architecture.md decision 38), as it may not import cases.
        from prezent.cases.selectors import children_referred_to_social_assistance, children_with_open_case
        from prezent.cases.views import alert_action_open_case, alert_action_record_referral, alert_action_record_visit
        from prezent.risk.alerts.services import CASE_FILE_STEP, HOME_VISIT_STEP, REFERRAL_STEP
        from prezent.risk.alerts.steps import step_work_register
        from prezent.risk.models import CloseReason

        step_work_register(
            CASE_FILE_STEP,
            done=children_with_open_case,
            done_reason=CloseReason.CASE_OPENED.value,
            action=alert_action_open_case,
        )
        # a home visit is done by recording it (it closes the alert, decision 11): only the link to the case's form
        step_work_register(HOME_VISIT_STEP, action=alert_action_record_visit)
        # the referral step is done by a referral to SPAS / DGASPC recorded in the child's open case
        step_work_register(
            REFERRAL_STEP,
            done=children_referred_to_social_assistance,
            done_reason=CloseReason.REFERRAL_SENT.value,
            action=alert_action_record_referral,
        )
