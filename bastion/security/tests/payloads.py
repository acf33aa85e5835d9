"""Passwords a careful user may choose that CRS would block in any other field.

test_waf_legitimate_traffic.py signs up, signs in and changes passwords with them; test_waf_attacks.py
sends the very same text as a name and expects a block: the exemption is for password fields only.
"""

PUNCTUATED_PASSWORD = "p@ss'w\"rd -- 1=1 OR ''=' <svg/onload=x>"  # XSS rules (941xxx) elsewhere
NEW_PUNCTUATED_PASSWORD = "<svg/onload=x> ' OR ''=' lighthouse"  # XSS and SQLi (942100) elsewhere
