"""Participants: the device a seat was taken from (a keyed hash of the client address).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_participants") as batch:
        batch.add_column(sa.Column("device", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workshop_participants") as batch:
        batch.drop_column("device")
