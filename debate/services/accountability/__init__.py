"""Accountability: the questions residents put to representatives, and what became of them.

- `questions`: questions put to representatives, written answers, transfers, referrals, records.
- `outcomes`: "you said, we did": what was heard and what will happen.
- `working_days`, `bank_holidays`: the council's calendar for answer deadlines.
"""
