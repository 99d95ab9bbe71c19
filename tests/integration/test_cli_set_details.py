"""``bwvreview set-details``: a recording's incident and officers after import, through the
same app function as the window's "Incident and officers…"."""

import json

from bwvreview import app
from bwvreview.cli import main


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_incident_and_officers_are_changed_and_what_is_not_given_is_kept(capsys, clip_path):
    lib = app.open_library()
    recording, _ = app.import_media(lib, clip_path, incident="INC-1", officer="4471")
    lib.close()
    code, out, _err = run_cli(capsys, "set-details", str(recording.id), "--officer", "5522",
                              "--officer", "6633", "--json")  # fmt: skip
    assert code == 0
    shown = json.loads(out)
    assert shown["incident_reference"] == "INC-1" and shown["officers"] == ["5522", "6633"]
    code, out, _err = run_cli(capsys, "set-details", str(recording.id), "--incident", "INC-2")
    assert code == 0 and out.split("\t")[1:3] == ["INC-2", "5522,6633"]
    code, out, _err = run_cli(capsys, "set-details", str(recording.id), "--incident", "",
                              "--officer", "")  # fmt: skip
    assert code == 0 and out.split("\t")[1:3] == ["-", "-"]


def test_a_bad_collar_number_is_one_line_and_exit_3(capsys, clip_path):
    lib = app.open_library()
    recording, _ = app.import_media(lib, clip_path, incident="INC-1", officer="4471")
    lib.close()
    code, out, err = run_cli(capsys, "set-details", str(recording.id), "--officer", "no way!")
    assert code == 3 and out == "" and len(err.strip().splitlines()) == 1
    assert "collar number" in err
    lib = app.open_library()
    kept = app.library.get_recording(lib.db, recording.id)
    lib.close()
    assert kept.officers == ("4471",)
