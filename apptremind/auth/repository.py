import uuid
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from apptremind.auth.models import PasswordResetToken, PendingSignUp, User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email.lower()))

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def email_exists(self, email: str) -> bool:
        return await self.get_by_email(email) is not None

    async def list_for_business(self, business_id: uuid.UUID) -> list[User]:
        rows = await self.session.scalars(
            select(User).where(User.business_id == business_id).order_by(User.created_at)
        )
        return list(rows)

    async def lock_business_logins(self, business_id: uuid.UUID) -> list[User]:
        """Every login of the business, row-locked and read afresh: concurrent team changes
        take turns, so two owners cannot demote each other into a business without one."""
        rows = await self.session.scalars(
            select(User)
            .where(User.business_id == business_id)
            .order_by(User.created_at)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return list(rows)

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user


class PasswordResetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: PasswordResetToken) -> PasswordResetToken:
        self.session.add(token)
        await self.session.flush()
        return token

    async def count_issued_since(self, user_id: uuid.UUID, since: datetime) -> int:
        """Reset tokens issued to the account since `since`; concurrent requests for one
        account take turns from here to commit, so none counts past the others."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"password-reset:{user_id}"},
        )
        count = await self.session.scalar(
            select(func.count())
            .select_from(PasswordResetToken)
            .where(PasswordResetToken.user_id == user_id, PasswordResetToken.created_at >= since)
        )
        return int(count or 0)

    async def get_for_update(self, token_id: uuid.UUID) -> PasswordResetToken | None:
        return await self.session.scalar(
            select(PasswordResetToken).where(PasswordResetToken.id == token_id).with_for_update()
        )

    async def get(self, token_id: uuid.UUID) -> PasswordResetToken | None:
        return await self.session.get(PasswordResetToken, token_id)

    async def use_all_for_user(self, user_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.user_id == user_id, PasswordResetToken.used_at.is_(None))
            .values(used_at=now)
        )


class PendingSignUpRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, pending: PendingSignUp) -> PendingSignUp:
        self.session.add(pending)
        await self.session.flush()
        return pending

    async def count_for_email_since(self, email: str, since: datetime) -> int:
        """Sign-ups asked for the address since `since`; concurrent requests for one address
        take turns from here to commit, so none counts past the others."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"sign-up:{email}"},
        )
        count = await self.session.scalar(
            select(func.count())
            .select_from(PendingSignUp)
            .where(PendingSignUp.email == email, PendingSignUp.created_at >= since)
        )
        return int(count or 0)

    async def lock_email(self, email: str) -> None:
        """Confirmations of one address take turns until they commit: two links confirmed at
        once cannot both create an account for it."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"sign-up:{email}"},
        )

    async def get(self, sign_up_id: uuid.UUID) -> PendingSignUp | None:
        return await self.session.get(PendingSignUp, sign_up_id)

    async def get_for_update(self, sign_up_id: uuid.UUID) -> PendingSignUp | None:
        return await self.session.scalar(
            select(PendingSignUp)
            .where(PendingSignUp.id == sign_up_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def use_all_for_email(self, email: str, now: datetime) -> None:
        await self.session.execute(
            update(PendingSignUp)
            .where(PendingSignUp.email == email, PendingSignUp.used_at.is_(None))
            .values(used_at=now)
        )
