"""Surveys on a topic: building (admins), answering (residents), results, exports and citing by outcomes.

Modules: `access` (finding surveys, who may do what, the rate limits), `building`, `answering`,
`results`, `export`, `citing` (an outcome cites a published result; respondents are told), `content`
(free-text answers in the moderation registry) and `data` ("download my data" and erasure).
"""
