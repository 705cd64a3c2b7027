"""`walkbreak export`: CSV that reads back to the same records, the Markdown week report, and -o."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, NEW_YORK, at, bout, settings
from tests.conftest import run_walkbreak
from tests.test_cli import fixed_now, walkbreak  # noqa: F401 (fixed_now is an autouse fixture)
from tests.weeks import MONDAY, demo_logs, demo_settings, demo_week
from walkbreak.cli import main
from walkbreak.core.export_csv import COLUMNS, exported_records, parse_csv, to_csv
from walkbreak.core.feelings import Feeling, Flag, FollowUp
from walkbreak.core.model import Advice, Bout, CheckIn, DayLog, Outcome, Prompt, Record, Source
from walkbreak.core.plain_text import clean
from walkbreak.core.week_report import week_report
from walkbreak.store import Store

EXPECTED = Path(__file__).parent / "expected" / "week_report.md"
NOW = "2026-11-26T10:00:00+01:00"  # a Thursday
TIMES = ("start", "fired_at", "at", "answered_at", "shown_at", "followup_at")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_same_records(back: list[Record], records: list[Record]) -> None:
    """Equal field by field, of the same kind, and every time keeps its offset (== alone compares instants)."""
    assert [(type(r), r) for r in back] == [(type(r), r) for r in records]
    for read, written in zip(back, records, strict=True):
        for name in TIMES:
            stamp = getattr(written, name, None)
            if stamp is not None:
                assert getattr(read, name).utcoffset() == stamp.utcoffset(), (written, name)


def as_exported(records: list[Record]) -> list[Record]:
    """What an export holds of `records`: notes as one line (control characters become spaces)."""
    return [r._replace(note=clean(r.note)) if isinstance(r, Bout) else r for r in records]


# CSV, pure


def awkward_records() -> list[Record]:
    """Records with everything a CSV writer can get wrong."""
    berlin = at(BERLIN, "2026-11-24 09:30")
    york = at(NEW_YORK, "2026-11-24 09:30")  # same wall time, six hours later
    return [
        Prompt(
            "p1", berlin.date(), berlin, Outcome.SKIPPED, berlin + timedelta(minutes=3), "busy", 2, berlin
        ),
        Prompt("p2", berlin.date(), berlin + timedelta(hours=1)),  # still open: None outcome and times
        Bout(
            "b1",
            berlin.date(),
            berlin + timedelta(minutes=3),
            4.5,
            Source.PROMPT,
            'round the block, "quickly"\nthen\r\nstairs; = not a formula\u2028ok',
            "p1",
        ),
        Bout("b2", york.date(), york, 7.333333333333333, note="  spaces kept\u2028and a line separator  "),
        Bout(
            "b3",
            york.date(),
            york + timedelta(seconds=90, microseconds=250),
            5.0,
            note=", and a lone\rcarriage return",
        ),
        CheckIn(
            "c1",
            york.date(),
            york + timedelta(minutes=8),
            Feeling.SPIKED,
            (Flag.NUMBNESS, Flag.WEAKNESS, Flag.FALL),
            "b2",
        ),
        CheckIn(
            "c2",
            berlin.date(),
            berlin + timedelta(minutes=9),
            Feeling.SORE,
            (),
            "b1",
            FollowUp.SETTLED,
            berlin + timedelta(hours=3),
        ),
        CheckIn("c3", berlin.date(), berlin + timedelta(minutes=30), Feeling.BETTER),  # no bout
        Advice(
            "a1",
            berlin.date(),
            berlin + timedelta(hours=3),
            "tolerated-for-days",
            "scale-up",
            "your walks were tolerated on 3 days (5 check-ins, none worse)",
            "6-minute walks, comfortable, brisk, comfortable, with gentle hills, slight declines or sideways steps",
            6,
            "routine",
            True,
        ),
        Advice(
            "a2",
            york.date(),
            york + timedelta(hours=1),
            "pain-spiked",
            "scale-back",
            "your pain spiked after the 09:38 walk",
            "rest 60 minutes, then 3-minute walks, at a comfortable pace only",
            3,
            "comfortable",
            False,
            60,
            "declined",
            york + timedelta(hours=1, minutes=2),
            "c1",
        ),
    ]


def test_csv_reads_back_to_the_same_records() -> None:
    records = awkward_records()
    text = to_csv(records)
    assert_same_records(parse_csv(text), as_exported(records))


def test_csv_rows_are_in_time_order_across_time_zones() -> None:
    day = date(2026, 11, 24)
    ordered = exported_records({day: DayLog.of(day, awkward_records())})
    # New York's 09:30 is Berlin's 15:30: its rows come after all of Berlin's morning
    assert [r.id for r in ordered] == ["p1", "b1", "c2", "c3", "p2", "a1", "b2", "b3", "c1", "a2"]


def test_a_walk_at_the_moment_its_prompt_fired_comes_after_the_prompt() -> None:
    moment = at(BERLIN, "2026-11-24 09:30")
    walk = Bout("a", moment.date(), moment, 5.0, Source.PROMPT, prompt_id="z")
    fired = Prompt("z", moment.date(), moment, Outcome.WALKED, moment)
    assert exported_records({moment.date(): DayLog.of(moment.date(), [walk, fired])}) == [fired, walk]


def test_csv_cells_are_plain_iso_and_one_row_per_record() -> None:
    text = to_csv(awkward_records())
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    by_id = {row["id"]: row for row in csv.DictReader(_lines(text))}
    assert len(by_id) == len(awkward_records())
    assert by_id["b2"] == {
        **dict.fromkeys(COLUMNS, ""),
        "kind": "bout",
        "day": "2026-11-24",
        "time": "2026-11-24T09:30:00-05:00",
        "end": "2026-11-24T09:37:20-05:00",
        "minutes": "7.333333333333333",
        "source": "manual",
        "note": "  spaces kept and a line separator  ",  # one line: U+2028 is a line break
        "id": "b2",
    }
    assert by_id["b1"]["minutes"] == "4.5" and by_id["b3"]["minutes"] == "5"
    assert by_id["c1"]["flags"] == "new numbness or tingling; leg weakness; pain after a fall or accident"
    assert (by_id["c1"]["kind"], by_id["c1"]["bout_id"], by_id["c1"]["feeling"]) == (
        "checkin",
        "b2",
        "pain spiked",
    )
    assert (by_id["p1"]["outcome"], by_id["p1"]["reason"], by_id["p1"]["snoozes"]) == ("skipped", "busy", "2")
    assert by_id["p2"]["outcome"] == "" and by_id["p2"]["answered_at"] == ""
    assert (by_id["a1"]["kind"], by_id["a1"]["direction"], by_id["a1"]["variety"]) == (
        "suggestion",
        "scale-up",
        "true",
    )
    assert by_id["a2"]["answer"] == "declined" and by_id["a2"]["suggestion"].startswith("rest 60 minutes")


def _lines(text: str) -> list[str]:
    """Lines for csv.reader, cut only at "\\n" (the note holds U+2028)."""
    return [line + "\n" for line in text.split("\n")][:-1]


def test_the_demo_week_reads_back_whole() -> None:
    records = exported_records(demo_logs())
    assert {type(r) for r in records} == {Bout, Prompt, CheckIn, Advice}
    assert len(records) == len(demo_week())  # the demo week holds only exported kinds
    assert_same_records(parse_csv(to_csv(records)), as_exported(records))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "'"])
def test_a_note_a_spreadsheet_would_run_is_written_as_text(start: str) -> None:
    note = f'{start}=HYPERLINK("http://x","y")'
    walk = bout(at(BERLIN, "2026-11-24 09:30"))._replace(note=note)
    _, row = csv.reader(io.StringIO(to_csv([walk])))
    (cell,) = [c for c in row if "HYPERLINK" in c]
    assert cell.startswith("'"), cell  # a spreadsheet hides the quote and shows the text
    (back,) = parse_csv(to_csv([walk]))
    assert back.note == clean(note), "the quote is not part of the note"


def test_escape_sequences_in_a_note_never_reach_the_csv() -> None:
    note = "title\x1b]0;owned\x07 clip\x1b]52;c;aGk=\x07 link\x1b]8;;http://x\x1b\\here\u202e"
    text = to_csv([bout(at(BERLIN, "2026-11-24 09:30"))._replace(note=note)])
    assert not any(c in text for c in "\x1b\x07\u202e")
    assert "title]0;owned clip]52;c;aGk= link]8;;http://x\\here" in text


def test_an_empty_export_is_just_the_header() -> None:
    assert to_csv([]) == ",".join(COLUMNS) + "\r\n"
    assert parse_csv(to_csv([])) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: "", "the CSV is empty"),
        (lambda t: t.replace("checkin_id", "check_id", 1), "lacks the column(s) checkin_id"),
        (lambda t: t.replace("\r\nbout,", "\r\nwalk,", 1), "line 2: unknown kind 'walk'"),
        (
            lambda t: t.replace("T09:30:00+01:00", "T09:30:00", 1),
            "line 2: '2026-11-24T09:30:00' has no time zone",
        ),
        (lambda t: t.replace(",4.5,", ",four,", 1), "line 2: could not convert string to float"),
        (lambda t: t.replace(",true,", ",yes,", 1), "'yes' is not true or false"),
        (lambda t: t + "bout,2026-11-24\r\n", "line 4: 2 cells where the header has 28"),
    ],
)
def test_a_damaged_csv_says_which_line(change, message) -> None:
    walk = Bout("b1", date(2026, 11, 24), at(BERLIN, "2026-11-24 09:30"), 4.5)
    advice = Advice("a1", walk.day, walk.start, "r", "scale-up", "why", "what", 6, "routine", True)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_csv(change(to_csv([walk, advice])))


# Markdown, pure


def test_the_report_of_the_demo_week_matches_the_expected_file() -> None:
    report = week_report(demo_settings(), demo_logs(), MONDAY, MONDAY + timedelta(days=6))
    assert report == EXPECTED.read_text(encoding="utf-8")


def test_a_red_flag_stored_in_older_words_is_reported_in_todays() -> None:
    """Check-ins from before the flags took the advice's words say "after a fall"."""
    friday = MONDAY + timedelta(days=4)
    old = CheckIn(
        "c-old", friday, at(BERLIN, "2026-11-27 09:35"), "pain spiked", ("after a fall", "severe pain")
    )
    report = week_report(demo_settings(), {friday: DayLog(friday, checkins=(old,))}, MONDAY, friday)
    assert (
        "  - Fri 27 Nov 09:35, after a walk: pain after a fall or accident, severe pain (check-in: pain spiked)."
        in report
    )
    assert report.count("after a fall") == 1
    (row,) = list(csv.DictReader(_lines(to_csv([old]))))
    assert row["flags"] == "pain after a fall or accident; severe pain"
    (back,) = parse_csv(to_csv([old]))
    assert back == old._replace(flags=(Flag.FALL.value, Flag.SEVERE.value))  # read back in today's words


def test_a_report_with_nothing_recorded_says_so() -> None:
    report = week_report(settings(), {}, date(2026, 11, 2), date(2026, 11, 26))
    assert "Nothing was recorded from Mon 2 Nov to Thu 26 Nov 2026." in report
    assert "## Week" not in report
    assert report.endswith("*walkbreak is a reminder tool, not medical advice.*\n")


def test_a_report_shows_only_the_days_asked_for_one_section_a_week() -> None:
    logs = demo_logs()
    thursday = date(2026, 11, 19)
    logs[thursday] = DayLog(thursday, bouts=(Bout("early", thursday, at(BERLIN, "2026-11-19 10:00"), 5.0),))
    report = week_report(demo_settings(), logs, date(2026, 11, 18), date(2026, 11, 25))
    headings = [line for line in report.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Week of Mon 16 Nov 2026 (Wed 18 Nov to Sun 22 Nov only)",
        "## Week of Mon 23 Nov 2026 (Mon 23 Nov to Wed 25 Nov only)",
    ]
    assert "| Tue 17 Nov" not in report and "| Wed 18 Nov" in report and "| Thu 26 Nov" not in report
    assert report.count("\n---\n") == 2  # between the weeks, and before the footer
    assert (
        "- **Walks:** 1 against a target of 18 (5 of 90 minutes); target met on 0 of 3 work days." in report
    )
    assert "target met on 1 of 3 work days." in report  # Mon 23 met, Tue and Wed not


def test_a_week_cut_down_to_its_weekend_has_no_target() -> None:
    report = week_report(demo_settings(), demo_logs(), date(2026, 11, 28), date(2026, 11, 29))
    assert "- **Walks:** 1 (20 minutes); no work days." in report
    assert "| Sat 28 Nov | 1 (day off)    | 20      | –      | –" in report


def checkin_on(day: date, feeling: str) -> CheckIn:
    moment = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return CheckIn(f"c-{day}-{feeling}", day, moment, feeling)


@pytest.mark.parametrize(
    ("early", "late", "trend"),
    [
        (
            ["same", "slightly sore"],
            ["better", "same", "same"],
            "1 of 2 check-ins Mon–Wed and 0 of 3 Thu–Sun: less often sore later",
        ),
        (
            ["same", "same"],
            ["pain spiked"],
            "0 of 2 check-ins Mon–Wed and 1 of 1 Thu–Sun: more often sore later",
        ),
        (
            ["slightly sore", "same"],
            ["same", "pain spiked"],
            "1 of 2 check-ins Mon–Wed and 1 of 2 Thu–Sun: as often sore early as late",
        ),
        (["same"], ["better"], "no check-in this week was slightly sore or worse"),
        (["slightly sore"], [], "too few check-ins to compare"),
    ],
)
def test_the_trend_compares_early_and_late_in_the_week(early, late, trend) -> None:
    tuesday, friday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=4)
    logs = {
        tuesday: DayLog.of(tuesday, [checkin_on(tuesday, f) for f in early]),
        friday: DayLog.of(friday, [checkin_on(friday, f) for f in late]),
    }
    report = week_report(demo_settings(), logs, MONDAY, MONDAY + timedelta(days=6))
    (line,) = [line for line in report.splitlines() if line.startswith("- **Trend:**")]
    assert trend in line


# The command


def test_csv_through_the_real_command_reads_back_to_the_store(isolated_env: Path) -> None:
    env = {"WALKBREAK_NOW": NOW, "TZ": "Europe/Berlin"}
    for args in (
        ("log", "7.5", "--at", "08:15", "--note", 'to the "bakery", and back'),
        ("log", "4", "--day", "2026-10-30", "--at", "11:00"),
        ("log",),
    ):
        assert run_walkbreak(*args, env=env).returncode == 0
    result = run_walkbreak("export", "--format", "csv", env=env)
    assert result.returncode == 0 and result.stderr == ""
    back = parse_csv(result.stdout)
    store = Store(isolated_env, warn=print)
    stored = exported_records(store.days(date(2026, 10, 1), date(2026, 11, 26)))
    assert (
        len(stored) == 3 and [b.note for b in stored if isinstance(b, Bout)][1] == 'to the "bakery", and back'
    )
    assert_same_records(back, stored)
    # --from/--to keep only those days
    result = run_walkbreak("export", "--format", "csv", "--from", "2026-11-01", "--to", "2026-11-26", env=env)
    assert [r.day for r in parse_csv(result.stdout)] == [date(2026, 11, 26)] * 2


def test_csv_with_no_history_is_the_header(capsys) -> None:
    code, out, err = walkbreak(capsys, "export", "--format", "csv")
    assert (code, out, err) == (0, ",".join(COLUMNS) + "\r\n", "")


def test_the_report_covers_this_week_and_the_three_before(capsys) -> None:
    code, out, _ = walkbreak(capsys, "export", "--format", "md")
    assert code == 0 and "Nothing was recorded from Mon 2 Nov to Thu 26 Nov 2026." in out
    walkbreak(capsys, "log", "6", "--day", "2026-11-24", "--at", "11:00")
    code, out, _ = walkbreak(capsys, "export", "--format", "md")
    assert code == 0 and out.startswith(
        "# Walking report: Mon 23 Nov – Thu 26 Nov 2026\n"
    )  # from the first record
    assert [line for line in out.splitlines() if line.startswith("## ")] == [
        "## Week of Mon 23 Nov 2026 (Mon 23 Nov to Thu 26 Nov only)",
    ]
    walkbreak(capsys, "log", "5", "--day", "2026-11-10", "--at", "11:00")
    code, out, _ = walkbreak(capsys, "export", "--format", "md")
    assert [line for line in out.splitlines() if line.startswith("## ")] == [
        "## Week of Mon 9 Nov 2026",
        "## Week of Mon 16 Nov 2026",
        "## Week of Mon 23 Nov 2026 (Mon 23 Nov to Thu 26 Nov only)",
    ]
    assert "| Tue 24 Nov | 1 / 6          | 6       | 1 of 9 h | –" in out


def test_the_report_from_the_store_matches_the_expected_file(
    capsys, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path: records in the month file, read back by the store, reported by the command."""
    store = Store(isolated_env, warn=print)
    for record in demo_week():
        store.add(record)
    monkeypatch.setenv("WALKBREAK_NOW", "2026-11-30T09:00:00+01:00")
    code, out, err = walkbreak(
        capsys, "export", "--format", "md", "--from", "2026-11-23", "--to", "2026-11-29"
    )
    assert (code, err) == (0, "")
    assert out == EXPECTED.read_text(encoding="utf-8")
    code, out, err = walkbreak(capsys, "export", "--format", "csv")
    assert (code, err) == (0, "")
    assert_same_records(parse_csv(out), as_exported(exported_records(demo_logs())))


def test_output_file_is_owner_only_and_replaced_only_with_force(capsys, tmp_path: Path) -> None:
    walkbreak(capsys, "log", "--at", "09:00")
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "walks.csv"
    old_umask = os.umask(0o022)
    try:
        code, out, err = walkbreak(capsys, "export", "--format", "csv", "-o", str(target))
    finally:
        os.umask(old_umask)
    assert (code, out, err) == (0, "", f"wrote 1 row to {target}\n")
    assert mode(target) == 0o600
    assert len(parse_csv(target.read_text(encoding="utf-8"))) == 1

    target.write_text("keep me")
    target.chmod(0o644)
    code, out, err = walkbreak(capsys, "export", "--format", "md", "-o", str(target))
    assert code == 1 and out == ""
    assert err == f"walkbreak export: {target} already exists; use --force to replace it\n"
    assert target.read_text() == "keep me"

    code, _, err = walkbreak(capsys, "export", "--format", "md", "-o", str(target), "--force")
    assert code == 0 and err == f"wrote the report for 1 week to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("# Walking report: Mon 23 Nov – Thu 26 Nov 2026\n")
    assert mode(target) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["walks.csv"]  # no temp file left behind


def test_output_into_a_missing_directory_or_onto_a_directory_is_a_message(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "walks.csv"
    code, out, err = walkbreak(capsys, "export", "--format", "csv", "-o", str(missing))
    assert code == 1 and out == ""
    assert err == f"walkbreak export: cannot write {missing}: the directory {missing.parent} does not exist\n"
    code, _, err = walkbreak(capsys, "export", "--format", "csv", "-o", str(tmp_path), "--force")
    assert code == 1 and "is a directory" in err
    assert not missing.parent.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-11-20", "--to", "2026-11-01"], "--from 2026-11-20 is after --to 2026-11-01"),
        (["--from", "2026-12-01"], "--from 2026-12-01 is in the future"),
    ],
)
def test_a_range_that_cannot_be_exported_exits_2(capsys, args, message) -> None:
    code, out, err = walkbreak(capsys, "export", "--format", "md", *args)
    assert code == 2 and out == "" and err.startswith("walkbreak export: ") and message in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "csv", "--from", "2026-13-01"],
            "argument --from: '2026-13-01' is not a date: give YYYY-MM-DD",
        ),
        (["--format", "csv", "--to", "yesterday"], "argument --to: 'yesterday' is not a date"),
        (["--format", "pdf"], "invalid choice: 'pdf'"),
        ([], "the following arguments are required: --format"),
    ],
)
def test_bad_export_arguments_are_usage_errors(capsys, args, message) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", *args])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_a_later_to_than_today_stops_at_today(capsys) -> None:
    walkbreak(capsys, "log", "--at", "09:00")
    code, out, _ = walkbreak(capsys, "export", "--format", "md", "--from", "2026-11-23", "--to", "2027-01-31")
    assert code == 0 and out.startswith("# Walking report: Mon 23 Nov – Thu 26 Nov 2026\n")
    assert "(Mon 23 Nov to Thu 26 Nov only)" in out


def test_a_new_users_report_starts_with_the_first_week_that_has_a_record() -> None:
    """Weeks before walkbreak was installed are not weeks of missed walks."""
    logs = demo_logs()
    report = week_report(demo_settings(), logs, MONDAY - timedelta(weeks=3), MONDAY + timedelta(days=6))
    assert report.count("## Week of ") == 1
    assert report.startswith("# Walking report: Mon 23 Nov – Sun 29 Nov 2026")
