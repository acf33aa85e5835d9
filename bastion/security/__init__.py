"""Network defense: the web application firewall, and the security events it records.

Later parts of issue 5 (rate limits, intrusion detection, keys, request signing) live here too.
"""
