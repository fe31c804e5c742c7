"""Where we agree: rounds of short statements that residents agree with, disagree with or pass on.

- `analysis` (with `groups`, `consensus`, `representative`): opinion groups and group-aware consensus
  from the vote matrix, the way Pol.is finds them (pure numpy / scikit-learn, no database).
- `rounds`, `statements`, `voting`: opening a round on a topic or thread, statements through the
  moderation gate, votes and which statement a resident sees next.
- `results`: the coalesced background recomputation and the stored result.
- `pages`, `report`: what the results and report pages show, and the CSV and JSON exports.
"""
