"""Voluntary equality monitoring and "who is missing".

Members may answer a few questions about themselves, as the ONS 2021 census asks them (`questions`);
the answers live in their own table, apart from everything that carries a name (`answers`), and leave
only as counts of at least ten people (`suppression`, `reports`), set beside the area's census profile
(`census`). Nothing here returns one person's answer to anyone but that person.
"""
