"""Workshop mode: sessions on a map, their participants, rating rounds and answers.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=True),
        sa.Column("allow_anonymous", sa.Boolean(), nullable=False),
        sa.Column("view", sa.String(length=20), nullable=False),
        sa.Column("lens", sa.String(length=80), nullable=False),
        sa.Column("anonymise", sa.String(length=20), nullable=False),
        sa.Column("plan_step", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("activity", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["map_id"], ["maps.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index(
        op.f("ix_workshop_sessions_map_id"), "workshop_sessions", ["map_id"], unique=False
    )
    op.create_table(
        "workshop_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["workshop_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index(
        op.f("ix_workshop_participants_session_id"),
        "workshop_participants",
        ["session_id"],
        unique=False,
    )
    op.create_table(
        "workshop_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("map_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("revealed", sa.Boolean(), nullable=False),
        sa.Column("adopted_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["map_id"], ["maps.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["workshop_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("map_id", "number"),
    )
    op.create_index(op.f("ix_workshop_rounds_map_id"), "workshop_rounds", ["map_id"], unique=False)
    op.create_index(
        op.f("ix_workshop_rounds_session_id"), "workshop_rounds", ["session_id"], unique=False
    )
    op.create_table(
        "workshop_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=500), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["workshop_participants.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["round_id"], ["workshop_rounds.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "participant_id", "item_key"),
    )
    op.create_index(
        op.f("ix_workshop_answers_round_id"), "workshop_answers", ["round_id"], unique=False
    )


def downgrade() -> None:
    for table in ("workshop_answers", "workshop_rounds", "workshop_participants"):
        op.drop_table(table)
    op.drop_table("workshop_sessions")
