"""Appointments with their customer, staff and service, read the way Booknetic stores them."""
from __future__ import annotations

from dataclasses import dataclass

from sidecar.database import Database

BUSY_STATUSES = ("pending", "approved")


@dataclass(frozen=True)
class Appointment:
    id: int
    tenant_id: int
    status: str
    starts_at: int  # Unix epoch seconds, UTC
    ends_at: int
    busy_to: int
    staff_id: int
    service_id: int
    location_id: int | None
    customer_id: int
    staff_name: str | None  # None: the staff row is missing
    service_name: str | None  # None: the service row is missing
    customer_first_name: str | None
    customer_last_name: str | None
    customer_email: str | None

    @property
    def busy(self) -> bool:
        """Booknetic's busy statuses need a meeting; canceled and rejected do not."""
        return self.status in BUSY_STATUSES

    @property
    def duration_minutes(self) -> int:
        return (self.ends_at - self.starts_at) // 60

    @property
    def customer_name(self) -> str:
        return " ".join(p for p in (self.customer_first_name, self.customer_last_name) if p).strip()

    @property
    def slot_key(self) -> str:
        """Group bookings: rows sharing staff, service, location and start are one session."""
        return f"{self.staff_id}:{self.service_id}:{self.location_id or 0}:{self.starts_at}"


_SELECT = """SELECT a.id, a.tenant_id, a.status, a.starts_at, a.ends_at, a.busy_to, a.staff_id, a.service_id,
       a.location_id, a.customer_id, st.name AS staff_name, sv.name AS service_name,
       c.first_name AS customer_first_name, c.last_name AS customer_last_name, c.email AS customer_email
  FROM {appointments} a
  LEFT JOIN {staff} st ON st.id = a.staff_id AND st.tenant_id = a.tenant_id
  LEFT JOIN {services} sv ON sv.id = a.service_id AND sv.tenant_id = a.tenant_id
  LEFT JOIN {customers} c ON c.id = a.customer_id AND c.tenant_id = a.tenant_id"""


def get(db: Database, tenant_id: int, appointment_id: int) -> Appointment | None:
    """The tenant's appointment, or None (deleted, or another tenant's)."""
    row = db.query_one(f"{_SELECT} WHERE a.id = %(a)s AND a.tenant_id = %(t)s", {"a": appointment_id, "t": tenant_id})
    return Appointment(**row) if row else None


def in_slot(db: Database, tenant_id: int, staff_id: int, service_id: int, location_id: int | None,
            starts_at: int) -> list[Appointment]:
    """Every appointment of one group session (busy or not), oldest first."""
    rows = db.query(
        f"""{_SELECT} WHERE a.tenant_id = %(t)s AND a.staff_id = %(st)s AND a.service_id = %(sv)s
            AND COALESCE(a.location_id, 0) = %(loc)s AND a.starts_at = %(s)s ORDER BY a.id""",
        {"t": tenant_id, "st": staff_id, "sv": service_id, "loc": location_id or 0, "s": starts_at},
    )
    return [Appointment(**r) for r in rows]


def ids(db: Database, tenant_id: int | None = None, *, since_epoch: int | None = None) -> list[tuple[int, int]]:
    """(tenant_id, appointment_id) of appointments, optionally for one tenant and ending after since_epoch."""
    rows = db.query(
        """SELECT tenant_id, id FROM {appointments}
            WHERE tenant_id IS NOT NULL AND (%(t)s IS NULL OR tenant_id = %(t)s)
              AND (%(since)s IS NULL OR ends_at >= %(since)s) ORDER BY id""",
        {"t": tenant_id, "since": since_epoch},
    )
    return [(r["tenant_id"], r["id"]) for r in rows]
