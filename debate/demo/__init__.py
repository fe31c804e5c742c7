"""Demo content for `make run`: forums, live sessions and a moderation queue with life in them.

Kept out of `debate/services` so the domain rules read without it. `seeding` creates
the first admin and loads the rest; each module writes one feature's demo through
that feature's services (or, for trusted text, straight to its tables).
"""
