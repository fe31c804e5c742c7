"""Models, one module per aggregate. Import them all here so Alembic sees them."""

from debate.models.accounts import LoginSession, RepresentativeProfile, Role, User
from debate.models.topics import Topic

__all__ = ["LoginSession", "RepresentativeProfile", "Role", "Topic", "User"]
