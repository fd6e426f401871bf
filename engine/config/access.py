"""``[access]`` in config.toml: who operates the deployment (the role ``it_admin``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AccessSettings(BaseModel):
    """Who may read every case for operations. Each of their reads is logged like anyone's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    it_admins: list[str] = Field(default_factory=list)
    """Ids honoured in the role ``it_admin``: the embedding tool's service or operator ids, and the
    operating-system users who run the CLI without ``--actor-*`` options."""

    @field_validator("it_admins")
    @classmethod
    def _not_blank(cls, value: list[str]) -> list[str]:
        if any(not ref.strip() for ref in value):
            msg = 'expected ids like ["drift@kommune.example"], with no empty text'
            raise ValueError(msg)
        return value
