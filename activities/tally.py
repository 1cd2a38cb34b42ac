"""
The sessions of each unit and quarter, counted once when they change.

The bloc's reports read a province's quarter, or every quarter on record, at once: a
million sessions at ten provinces. SessionTally holds what those reports need of the
sessions, one row per unit and quarter, kept by triggers in the database itself, so that
every way a session is written (the admin, the staff forms, an import's bulk insert, a
unit deleted with its sessions, plain SQL) keeps it true in the same transaction.

A trigger recounts the quarters a statement touched from the sessions themselves: a
count that could drift is never incremented. On PostgreSQL one trigger a statement
(an import's 2,000-row insert recounts its quarters once); the tally rows are locked in
order before the recount, whose fresh snapshot then sees what a concurrent transaction
committed. A quarter whose sessions are all gone loses its row. On SQLite, where a write locks the whole database, one trigger a row.

A monthly meeting that held the quarter's thematic meeting together with it
(`also_thematic`, Hướng dẫn 42-HD/BTCTW) counts once as each. Since migration 0013 the
tally also sums what the meetings' derived columns say (their roll call, short
meetings, documents late, grades: StudySession.DERIVED_FIELDS).

The triggers are SQL built here from the session kinds a migration passes (frozen in
that migration); a new kind needs a migration that drops and creates them again.
"""

SESSION = "activities_studysession"
TALLY = "activities_sessiontally"

MONTH_OF_DATE = {
    "sqlite": "CAST(strftime('%m', s.date) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(MONTH FROM s.date) AS INTEGER)",
}


# The grades counted (SessionTally.grade_<grade>, MeetingGrade), frozen with the columns.
GRADES = ["good", "fair", "average", "poor"]


def meeting_columns():
    """The meetings' columns (migration 0013 on): roll call, absences, short, late, grades."""
    return [
        "roll_present",
        "roll_expected",
        "unexcused",
        "short_meetings",
        "late_documents",
        *(f"grade_{grade}" for grade in GRADES),
    ]


def counted_columns(kinds, meetings=False):
    """The tally's counted columns, in order."""
    columns = ["sessions", "attended", "invited"]
    for kind in kinds:
        columns += [f"{kind}_count", f"{kind}_months"]
    if meetings:
        columns += meeting_columns()
    return [*columns, "thematic_date"]


def meeting_values():
    """What the meeting columns count, over the sessions s (their derived columns, StudySession.DERIVED_FIELDS)."""
    roll = "s.absent_unexcused IS NOT NULL AND s.attended IS NOT NULL AND s.expected IS NOT NULL"
    return [
        f"COALESCE(SUM(CASE WHEN {roll} THEN s.attended END), 0)",
        f"COALESCE(SUM(CASE WHEN {roll} THEN s.expected END), 0)",
        "COALESCE(SUM(s.absent_unexcused), 0)",
        "COALESCE(SUM(CASE WHEN s.is_short THEN 1 ELSE 0 END), 0)",
        "COALESCE(SUM(CASE WHEN s.documents_late THEN 1 ELSE 0 END), 0)",
        *(f"COALESCE(SUM(CASE WHEN s.grade = '{grade}' THEN 1 ELSE 0 END), 0)" for grade in GRADES),
    ]


def held_as(kind, combined):
    """The condition on a session s that it counts as one of `kind`."""
    if combined and kind == "thematic":
        # A monthly meeting that held the thematic one together counts once for each.
        return f"(s.kind = '{kind}' OR s.also_thematic)"
    return f"s.kind = '{kind}'"


def recount(vendor, kinds, outer="t", combined=False, meetings=False):
    """
    A SELECT of the counted columns over the sessions s of the tally row's unit and
    quarter (the row named `outer`): one row, zeros when it has none left. With
    `combined`, a monthly meeting held with the thematic one counts as both.
    """
    both = "s.attended IS NOT NULL AND s.expected IS NOT NULL"
    month = f"{MONTH_OF_DATE[vendor]} - 3 * s.quarter + 3"
    values = [
        "COUNT(*)",
        f"COALESCE(SUM(CASE WHEN {both} THEN s.attended END), 0)",
        f"COALESCE(SUM(CASE WHEN {both} THEN s.expected END), 0)",
    ]
    for kind in kinds:
        held = held_as(kind, combined)
        values += [
            f"COALESCE(SUM(CASE WHEN {held} THEN 1 ELSE 0 END), 0)",
            # The months of the quarter it was held in, as a mask (rules.month_bit).
            f"COALESCE(SUM(DISTINCT CASE WHEN {held} THEN "
            f"CASE {month} WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 4 END END), 0)",
        ]
    if meetings:
        values += meeting_values()
    values.append(f"MIN(CASE WHEN {held_as('thematic', combined)} THEN s.date END)")
    return (
        f"SELECT {', '.join(values)} FROM {SESSION} s "
        f"WHERE s.unit_id = {outer}.unit_id AND s.year = {outer}.year AND s.quarter = {outer}.quarter"
    )


def zeros(kinds, meetings=False):
    return ", ".join(["0"] * (len(counted_columns(kinds, meetings)) - 1) + ["CAST(NULL AS date)"])


def create_sql(vendor, kinds, combined=False, meetings=False):
    """The statements that create the triggers of a database."""
    columns = ", ".join(counted_columns(kinds, meetings))
    if vendor == "sqlite":
        statements = []
        for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
            body = []
            for row in rows:
                # SQLite's triggers take no table alias: the tally is named in full.
                key = f"unit_id = {row}.unit_id AND year = {row}.year AND quarter = {row}.quarter"
                if row == "NEW":
                    body.append(
                        f"INSERT OR IGNORE INTO {TALLY} (unit_id, year, quarter, {columns}) "
                        f"VALUES ({row}.unit_id, {row}.year, {row}.quarter, {zeros(kinds, meetings)});"
                    )
                body.append(
                    f"UPDATE {TALLY} SET ({columns}) = ({recount(vendor, kinds, TALLY, combined, meetings)}) WHERE {key};"
                )
                if row == "OLD":
                    body.append(f"DELETE FROM {TALLY} WHERE {key} AND sessions = 0;")
            statements.append(
                f"CREATE TRIGGER {TALLY}_{event.lower()} AFTER {event} ON {SESSION} "
                f"FOR EACH ROW BEGIN {' '.join(body)} END"
            )
        return statements
    # PostgreSQL: the quarters a statement touched, from its transition tables.
    statements = []
    new_keys = "SELECT unit_id, year, quarter FROM new_rows"
    old_keys = "SELECT unit_id, year, quarter FROM old_rows"
    for event, tables, added, keys in (
        ("INSERT", "NEW TABLE AS new_rows", new_keys, new_keys),
        ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", new_keys, f"{new_keys} UNION {old_keys}"),
        ("DELETE", "OLD TABLE AS old_rows", None, old_keys),
    ):
        name = f"{TALLY}_{event.lower()}"
        # A row for every quarter written into, then every quarter touched locked in
        # one order (no deadlock between two imports), recounted by a statement whose
        # snapshot is taken after the locks (a VOLATILE function's every statement
        # takes a fresh one), and dropped when it has no sessions left. Each reaches
        # the tally by its unique index (enable_seqscan off, for this function only):
        # the planner knows nothing of a transition table's size, and scanning the
        # whole tally for every statement of a bulk load made it quadratic. JIT is off
        # for them too: disabling scans inflates the plans' costs past jit_above_cost,
        # and a session with JIT on (psql, a DBA's script) paid ~150 ms a statement.
        insert = (
            f"""INSERT INTO {TALLY} (unit_id, year, quarter, {columns})
        SELECT DISTINCT unit_id, year, quarter, {zeros(kinds, meetings)} FROM ({added}) k
        ORDER BY unit_id, year, quarter
        ON CONFLICT (unit_id, year, quarter) DO NOTHING;"""
            if added
            else ""
        )
        touched = f"SELECT DISTINCT unit_id, year, quarter FROM ({keys}) touched"
        statements.append(f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql VOLATILE SET enable_seqscan = off SET jit = off AS $$
BEGIN
    {insert}
    PERFORM 1 FROM {TALLY} t
        WHERE (t.unit_id, t.year, t.quarter) IN ({touched})
        ORDER BY t.unit_id, t.year, t.quarter FOR UPDATE;
    UPDATE {TALLY} AS t SET ({columns}) = ({recount(vendor, kinds, combined=combined, meetings=meetings)})
        WHERE (t.unit_id, t.year, t.quarter) IN ({touched});
    DELETE FROM {TALLY} t WHERE (t.unit_id, t.year, t.quarter) IN ({touched}) AND t.sessions = 0;
    RETURN NULL;
END
$$""")
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON {SESSION} "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    return statements


def drop_sql(vendor):
    statements = [
        f"DROP TRIGGER IF EXISTS {TALLY}_{event} " + (f"ON {SESSION}" if vendor == "postgresql" else "")
        for event in ("insert", "update", "delete")
    ]
    if vendor == "postgresql":
        statements += [
            f"DROP FUNCTION IF EXISTS {TALLY}_{event}()" for event in ("insert", "update", "delete")
        ]
    return statements


def fill_sql(vendor, kinds, combined=False, meetings=False):
    """Every quarter on record counted again from the sessions (the migration, `recount_sessions`)."""
    columns = ", ".join(counted_columns(kinds, meetings))
    return [
        f"DELETE FROM {TALLY}",
        f"INSERT INTO {TALLY} (unit_id, year, quarter, {columns}) "
        f"SELECT DISTINCT unit_id, year, quarter, {zeros(kinds, meetings)} FROM {SESSION}",
        f"UPDATE {TALLY} SET ({columns}) = ({recount(vendor, kinds, TALLY, combined, meetings)})",
    ]
