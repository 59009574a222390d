"""Writes test/fixtures/widgets/ipywidgets-messages.json: the comm messages real ipywidgets sends.

Run with a Python that has ipywidgets 8.1 (not Debian's; the JupyterLab virtualenv has it):

    /work/venv-jlab/bin/python scripts/widget-fixtures.py

ipywidgets is the kernel side of the widget protocol that JupyterLab 4 speaks; stripes'
src/notebook/widgets/ must send the same messages. Each scenario below builds widgets, feeds
them front-end messages, and records every comm message published (the `comm` package's
create_comm is replaced by a recorder, so no kernel is needed). Comm ids are renamed "ID0",
"ID1", … in order of first appearance, and buffers are written as lists of byte values, so the
TypeScript tests (test/notebook/widgets*.test.ts) can compare message for message.
"""
import json
import os
import pathlib
import re
import sys

os.environ["JUPYTER_WIDGETS_ECHO"] = "1"

import comm
from comm.base_comm import BaseComm

RECORD = []


class Recorder(BaseComm):
    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        content = {"comm_id": self.comm_id, "data": data or {}}
        if msg_type == "comm_open":
            content["target_name"] = keys["target_name"]
        RECORD.append({
            "msgType": msg_type,
            "content": content,
            "metadata": metadata or {},
            "buffers": [list(bytes(b)) for b in (buffers or [])],
        })


comm.create_comm = lambda *args, **kwargs: Recorder(*args, **kwargs)

import ipywidgets as w  # noqa: E402  (after create_comm is replaced)
from ipywidgets.widgets.widget import Widget  # noqa: E402


def frontend(widget, data, buffers=()):
    """A comm_msg from the front end."""
    widget.comm.handle_msg({"content": {"comm_id": widget.comm.comm_id, "data": data}, "buffers": list(buffers)})


class Ids:
    """Renames comm ids to ID0, ID1, … in order of first appearance, everywhere in a value."""

    def __init__(self):
        self.names = {}

    def name(self, cid):
        return self.names.setdefault(cid, f"ID{len(self.names)}")

    def rename(self, value):
        if isinstance(value, dict):
            return {self.rename_key(k): self.rename(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.rename(v) for v in value]
        if isinstance(value, str):
            if value.startswith("IPY_MODEL_"):
                return "IPY_MODEL_" + self.name(value[10:])
            if re.fullmatch("[0-9a-f]{32}", value):
                return self.name(value)
        return value

    def rename_key(self, key):
        return self.name(key) if isinstance(key, str) and re.fullmatch("[0-9a-f]{32}", key) else key


def scenario(run):
    """Runs `run`, returns the messages it caused (ids renamed) and what it reports."""
    RECORD.clear()
    ids = Ids()
    events = []
    run(events)
    msgs = []
    for m in RECORD:
        ids.name(m["content"]["comm_id"])  # comm_open order fixes the names
        msgs.append(ids.rename(m))
    Widget.close_all()
    RECORD.clear()
    return {"messages": msgs, "events": ids.rename(events)}


def change(c):
    return {"name": c["name"], "old": c["old"], "new": c["new"]}


def int_slider(ev):
    s = w.IntSlider(value=3, min=0, max=10, step=1, description="n")
    s.observe(lambda c: ev.append(change(c)), "value")
    s.value = 7                                                   # kernel-side change: update
    frontend(s, {"method": "update", "state": {"value": 5}, "buffer_paths": []})   # echo, no update
    frontend(s, {"method": "update", "state": {"value": 50}, "buffer_paths": []})  # echo, clamped update
    frontend(s, {"method": "request_state"})                       # full update
    ev.append({"value": s.value})


def float_sliders(ev):
    f = w.FloatSlider(value=0.5, min=0, max=1, step=0.1, description="x")
    g = w.FloatLogSlider(value=10, base=10, min=-1, max=3, step=0.2, description="lr")
    g.value = 100.0
    ev.append({"f": f.value, "g": g.value})


def dropdown(ev):
    d = w.Dropdown(options=[("one", 1), ("two", 2), ("three", 3)], value=2, description="k")
    d.observe(lambda c: ev.append(change(c)), "value")
    frontend(d, {"method": "update", "state": {"index": 0}, "buffer_paths": []})
    d.value = 3
    e = w.Dropdown(options=["a", "b"])
    ev.append({"d": d.value, "d_label": d.label, "e": e.value, "e_index": e.index})


def toggle_buttons(ev):
    t = w.ToggleButtons(options=["slow", "fast"], value="fast", description="speed")
    t.observe(lambda c: ev.append(change(c)), "value")
    frontend(t, {"method": "update", "state": {"index": 0}, "buffer_paths": []})


def checkbox(ev):
    c = w.Checkbox(value=False, description="show")
    c.observe(lambda ch: ev.append(change(ch)), "value")
    frontend(c, {"method": "update", "state": {"value": True}, "buffer_paths": []})


def button(ev):
    b = w.Button(description="go")
    b.on_click(lambda btn: ev.append({"clicked": btn.model_id}))
    frontend(b, {"method": "custom", "content": {"event": "click"}})
    b.description = "again"


def play(ev):
    p = w.Play(value=0, min=0, max=20, step=1, interval=200, description="t")
    p.observe(lambda c: ev.append(change(c)), "value")
    frontend(p, {"method": "update", "state": {"value": 1}, "buffer_paths": []})


def text_widgets(ev):
    w.Label(value="hello")
    h = w.HTML(value="<b>hi</b>")
    h.value = "<i>bye</i>"


def image(ev):
    i = w.Image(value=bytes([137, 80, 78, 71]), format="png", width=64)
    i.value = bytes([1, 2, 3])


def output(ev):
    w.Output()


def boxes(ev):
    a = w.IntSlider(value=1)
    b = w.Label(value="x")
    h = w.HBox([a, b])
    w.VBox([h])


def control(ev):
    s = w.IntSlider(value=4, max=9)
    w.Image(value=bytes([5, 6]), format="png")
    RECORD.clear()  # only the control comm's messages
    ctl = Recorder(target_name="jupyter.widget.control", primary=False)
    Widget.handle_control_comm_opened(ctl, {"metadata": {"version": "1.0.0"}})
    ctl.handle_msg({"content": {"comm_id": ctl.comm_id, "data": {"method": "request_states"}}, "buffers": []})
    ev.append({"slider": s.model_id})


def saved(ev):
    s = w.IntSlider(value=3, description="n")
    s.value = 7
    frontend(s, {"method": "update", "state": {"value": 5}, "buffer_paths": []})
    i = w.Image(value=bytes([137, 80, 78, 71]), format="png")
    i.value = bytes([1, 2, 3, 4, 5])
    w.HBox([s, i])


def nbclient_metadata(messages):
    """What nbclient (the notebook runner of nbconvert --execute) saves from these messages."""
    import base64
    import nbformat
    from nbclient import NotebookClient
    client = NotebookClient(nbformat.v4.new_notebook())
    for m in messages:
        msg = {"msg_type": m["msgType"], "header": {"msg_type": m["msgType"]}, "parent_header": {},
               "content": m["content"], "metadata": m["metadata"], "buffers": [bytes(b) for b in m["buffers"]]}
        client.handle_comm_msg([], msg, 0)
    client.set_widgets_metadata()
    return json.loads(json.dumps(client.nb.metadata.widgets))


SCENARIOS = {
    "intSlider": int_slider,
    "floatSliders": float_sliders,
    "dropdown": dropdown,
    "toggleButtons": toggle_buttons,
    "checkbox": checkbox,
    "button": button,
    "play": play,
    "textWidgets": text_widgets,
    "image": image,
    "output": output,
    "boxes": boxes,
    "control": control,
    "saved": saved,
}


def main():
    out = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "widgets"
    out.mkdir(parents=True, exist_ok=True)
    result = {"ipywidgets": w.__version__, "scenarios": {k: scenario(f) for k, f in SCENARIOS.items()}}
    # the "saved" scenario's messages, as nbclient turns them into notebook metadata
    import nbclient
    result["nbclient"] = nbclient.__version__
    result["scenarios"]["saved"]["nbclientMetadata"] = nbclient_metadata(result["scenarios"]["saved"]["messages"])
    path = out / "ipywidgets-messages.json"
    path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"wrote {path} ({len(result['scenarios'])} scenarios, ipywidgets {w.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
