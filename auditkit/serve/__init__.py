"""``auditkit serve``: the questionnaire in a browser, served from the owner's own machine.

The web app adds HTTP and templates to the questionnaire's session model
(``auditkit.questionnaire.session``) and nothing else: the terminal and the browser ask the
same questions, by the same rules, into the same answers file. Starlette and uvicorn are
imported only by this package, so every other command starts as fast as before.
"""
