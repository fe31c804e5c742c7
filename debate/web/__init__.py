"""Blueprints by feature. Views parse, identify the user, call one service, render."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    # Imported when the app is built: a view module imported alone (a test's) must not register every blueprint.
    from debate.services.accounts import data as account_data  # noqa: F401  (registers its privacy sections)
    from debate.services.agreement import data as agreement_data  # noqa: F401  (votes and statements in download my data)
    from debate.services.equality import answers as equality_answers  # noqa: F401  (registers its privacy section)
    from debate.services.live import content as live_content  # noqa: F401  (registers live questions and chat with moderation)
    from debate.services.moderation import hooks as moderation_hooks  # noqa: F401  (plugs moderation into publishing and privacy)
    from debate.services.surveys import content as survey_content  # noqa: F401  (free-text answers with moderation)
    from debate.services.surveys import data as survey_data  # noqa: F401  (surveys in download my data)
    from debate.web import (
        account,
        accountability,
        admin,
        agreement,
        agreement_api,  # noqa: F401  (adds the rounds' routes to the API's blueprint before it is registered)
        agreement_results,
        api,
        auth,
        equality,
        forums,
        forums_api,
        live,
        main,
        moderation,
        moderation_public,
        notifications,
        outcomes,
        polls,
        polls_api,  # noqa: F401  (adds the polls' routes to the API's blueprint before it is registered)
        surveys,
        times,
    )
    from debate.web.helpers import template_globals

    blueprints = (main, auth, account, admin, api, forums, forums_api, live, moderation, moderation_public)
    for module in (*blueprints, outcomes, accountability, notifications, polls, equality, surveys):
        app.register_blueprint(module.bp)
    app.register_blueprint(agreement_results.bp)  # Where we agree: results, report, exports, create and manage

    app.register_blueprint(agreement.bp)  # Where we agree: the voting page
    app.context_processor(template_globals)
    times.init_app(app)
