"""Booknetic rows written the way Booknetic writes them: plans, tenants, staff, services, customers,
appointments (epoch times) and the add-on's key/value rows. Booknetic is not installable here, so the
demo and the tests play its part with these."""
from __future__ import annotations

import json
from dataclasses import dataclass

from sidecar.database import Database

# 2030-01-10 14:00:00 UTC: far enough ahead for every "upcoming" rule
DEFAULT_START = 1894284000


@dataclass
class World:
    """One tenant with a staff member, a service and a customer: the smallest bookable setup."""

    tenant_id: int
    plan_id: int
    staff_id: int
    service_id: int
    customer_id: int


class Booknetic:
    """Writes Booknetic rows into the test database."""

    def __init__(self, db: Database):
        self.db = db

    def plan(self, *, zoom: bool = True, name: str = "Pro", expire_plan: bool = False) -> int:
        permissions = {"capabilities": {"zoom": "on" if zoom else "off"}, "limits": {}}
        return self.db.insert(
            """INSERT INTO {plans} (name, is_active, permissions, is_default, expire_plan)
               VALUES (%(n)s, 1, %(p)s, 0, %(e)s)""",
            {"n": name, "p": json.dumps(permissions), "e": int(expire_plan)},
        )

    def tenant(self, plan_id: int, *, domain: str = "acme", expires_in: str = "2099-01-01 00:00:00",
               user_id: int = 2) -> int:
        return self.db.insert(
            """INSERT INTO {tenants} (user_id, email, full_name, domain, plan_id, expires_in, inserted_at, money_balance)
               VALUES (%(u)s, %(e)s, %(f)s, %(d)s, %(p)s, %(x)s, UTC_TIMESTAMP(), 0)""",
            {"u": user_id, "e": f"owner@{domain}.test", "f": domain.title(), "d": domain, "p": plan_id,
             "x": expires_in},
        )

    def staff(self, tenant_id: int, *, name: str = "Jane Doe", email: str = "jane@acme.test") -> int:
        return self.db.insert(
            """INSERT INTO {staff} (name, email, is_active, tenant_id) VALUES (%(n)s, %(e)s, 1, %(t)s)""",
            {"n": name, "e": email, "t": tenant_id},
        )

    def service(self, tenant_id: int, *, name: str = "Online consultation", duration: int = 30) -> int:
        return self.db.insert(
            """INSERT INTO {services} (name, price, duration, buffer_before, buffer_after, max_capacity, is_active,
                                       tenant_id, created_at, updated_at)
               VALUES (%(n)s, 50, %(d)s, 0, 10, 5, 1, %(t)s, UNIX_TIMESTAMP(), UNIX_TIMESTAMP())""",
            {"n": name, "d": duration, "t": tenant_id},
        )

    def customer(self, tenant_id: int, *, first: str = "John", last: str = "Smith",
                 email: str = "john@example.test") -> int:
        return self.db.insert(
            """INSERT INTO {customers} (first_name, last_name, email, created_at, tenant_id)
               VALUES (%(f)s, %(l)s, %(e)s, UNIX_TIMESTAMP(), %(t)s)""",
            {"f": first, "l": last, "e": email, "t": tenant_id},
        )

    def appointment(self, world: World, *, starts_at: int = DEFAULT_START, minutes: int = 30,
                    status: str = "approved", customer_id: int | None = None, staff_id: int | None = None,
                    service_id: int | None = None, location_id: int | None = None) -> int:
        """Insert one appointment row as AppointmentService::createSingle does (epoch times, busy range)."""
        ends_at = starts_at + minutes * 60
        return self.db.insert(
            """INSERT INTO {appointments} (location_id, service_id, staff_id, customer_id, status, starts_at, ends_at,
                 busy_from, busy_to, weight, payment_method, payment_status, paid_amount, locale, client_timezone,
                 created_at, tenant_id)
               VALUES (%(loc)s, %(sv)s, %(st)s, %(c)s, %(status)s, %(s)s, %(e)s, %(s)s, %(busy_to)s, 1, 'local',
                 'not_paid', 0, 'en_US', 'Europe/London', UNIX_TIMESTAMP(), %(t)s)""",
            {"loc": location_id, "sv": service_id or world.service_id, "st": staff_id or world.staff_id,
             "c": customer_id or world.customer_id, "status": status, "s": starts_at, "e": ends_at,
             "busy_to": ends_at + 600, "t": world.tenant_id},
        )

    def update_appointment(self, appointment_id: int, **columns) -> None:
        """Edit/reschedule/status change: Booknetic updates the row in place (ends_at follows starts_at)."""
        if "starts_at" in columns and "ends_at" not in columns:
            row = self.db.query_one("SELECT starts_at, ends_at FROM {appointments} WHERE id = %(a)s",
                                    {"a": appointment_id})
            columns["ends_at"] = columns["starts_at"] + (row["ends_at"] - row["starts_at"])
        sets = ", ".join(f"{name} = %({name})s" for name in columns)
        self.db.execute(f"UPDATE {{appointments}} SET {sets} WHERE id = %(id)s", {**columns, "id": appointment_id})

    def delete_appointment(self, appointment_id: int) -> None:
        """AppointmentService::deleteAppointment: the row and all its `appointments` data rows."""
        self.db.execute("DELETE FROM {data} WHERE table_name = 'appointments' AND row_id = %(a)s", {"a": appointment_id})
        self.db.execute("DELETE FROM {appointments} WHERE id = %(a)s", {"a": appointment_id})

    def option(self, name: str, value: str) -> None:
        self.db.execute(
            """INSERT INTO {options} (option_name, option_value, autoload) VALUES (%(n)s, %(v)s, 'yes')
               ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)""",
            {"n": name, "v": value},
        )

    def world(self, *, zoom_plan: bool = True, domain: str = "acme") -> World:
        """A tenant on a plan (with or without zoom) with one staff member, service and customer."""
        plan_id = self.plan(zoom=zoom_plan)
        tenant_id = self.tenant(plan_id, domain=domain)
        return World(
            tenant_id=tenant_id,
            plan_id=plan_id,
            staff_id=self.staff(tenant_id, email=f"jane@{domain}.test"),
            service_id=self.service(tenant_id),
            customer_id=self.customer(tenant_id, email=f"john@{domain}.example"),
        )

    def data_rows(self, table_name: str, row_id: int, key: str) -> list[dict]:
        """The add-on's key/value rows for one Booknetic row."""
        return self.db.query(
            """SELECT data_value, tenant_id FROM {data} WHERE table_name = %(tn)s AND row_id = %(r)s
               AND data_key = %(k)s ORDER BY id""",
            {"tn": table_name, "r": row_id, "k": key},
        )
