"""ModSecurity v3 + OWASP Core Rule Set in Django's request path.

config.py      settings → a validated WafConfig
engine.py      the rule set, compiled once per process (loading ~500 CRS rules is the slow part)
inspection.py  one ModSecurity transaction per request → a Verdict
events.py      every rule match becomes a SecurityEvent row, with its data masked
responses.py   what a blocked client sees (problem+json for /api/, a short HTML page otherwise)
middleware.py  ties them together
status.py      what the console and readiness probe show
"""
