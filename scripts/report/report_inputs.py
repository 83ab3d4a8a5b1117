"""What the report reads: detection of the inputs and one reader per format.

Formats (the producers are named; their docs give every column):
  * simulate report  - JSON of `cimnet simulate --report` (apps/cimnet/command_simulate.cpp, docs/mapping.md):
                       "layers" (per layer: name, kind, macs, utilisation, bound, "analytical" breakdown,
                       "simulated" cycles), "totals", optional "levels" (bytes, bound_counts, modules, memories,
                       occupancy), "schedule" and "energy" (report_simulate_parts.py).
  * predictor scatter - CSV of `cimnet predictor eval --scatter`: source,arch,actual,predicted,error_pct.
  * predictor curve  - CSV of `cimnet predictor curve --out`: train_size,repeats,test_size,tau_mean,tau_sd,
                       mape_mean,mape_sd,rmse_mean,rmse_sd.
  * dataset          - CSV of `cimnet dataset` with a '#' preamble (docs/datasets.md).
  * search run folder - `cimnet search --out RUN_DIR`. Every file name and column name the report
                       relies on is in SEARCH_FORMAT below, the one place to adapt when the search's
                       output changes.

Every reader returns plain dicts and lists; nothing here draws.
"""

import csv
import json
import math
import os
import re

import report_simulate_parts as simulate_parts

# The hardware columns' names and units (report_hardware.py); inputs.HW_PARAMS etc. for the other modules.
from report_hardware import HW_PARAMS, HW_UNITS, hw_params_of, hw_unit, is_component_gene  # noqa: F401

# --- The search run folder -------------------------------------------------------------------------
# File names are tried in order; the first that exists is read. Column names likewise: the first alias
# present in the header is used. See docs/report.md, "Search run folder".
SEARCH_FORMAT = {
    "evaluations_files": ["evaluations.csv", "evaluated.csv", "evals.csv"],
    "front_files": ["front.csv", "pareto.csv", "pareto_front.csv"],
    "history_files": ["iterations.csv", "history.csv", "hypervolume.csv", "progress.csv"],
    "scenario_files": ["scenario.yaml", "scenario.yml"],
    "summary_files": ["summary.json", "run.json", "reference.json"],
    "columns": {
        "accuracy": ["accuracy", "top1", "top-1"],
        "cycles": ["cycles"],
        "area": ["area", "area_mm2", "hw_cost"],
        "method": ["method"],
        "mode": ["mode"],
        "iteration": ["iteration", "iter"],
        "seed": ["seed"],
        "genome": ["genome", "arch"],
        "status": ["status"],
        "predicted_cycles": ["predicted_cycles", "cycles_predicted"],
        "predicted_accuracy": ["predicted_accuracy", "accuracy_predicted"],
        "analytical_cycles": ["analytical_cycles"],
        "energy_pj": ["energy_pj"],  # one inference's, pJ (issue 16); empty when not measured
        # Only when the search chose each design's execution policy (`execution: searched`).
        "execution": ["execution"],
        # history.csv
        "evaluations": ["evaluations", "real_evaluations", "evaluated", "n_evaluations"],
        "hypervolume": ["hypervolume", "hv"],
        "tau_cycles": ["tau_cycles", "cycles_tau", "tau"],
        "mape_cycles": ["mape_cycles", "cycles_mape", "mape"],
        "tau_accuracy": ["tau_accuracy", "accuracy_tau"],
        "mape_accuracy": ["mape_accuracy", "accuracy_mape"],
    },
    # A row of the evaluations whose method is one of these is the reference design (the reference
    # sub-network on the reference hardware), not a search point.
    "reference_methods": ["reference", "baseline-reference"],
}

SCATTER_COLUMNS = ["source", "arch", "actual", "predicted", "error_pct"]
CURVE_COLUMNS = ["train_size", "tau_mean", "mape_mean"]


class InputProblem(Exception):
    """Input the report cannot use: the message says what and how to fix it (exit status 2)."""


def read_text(path, newline=None):
    """The whole text of a file cimnet wrote (UTF-8, an optional byte-order mark dropped); InputProblem
    naming the file and the first bad byte when it is not UTF-8 text."""
    try:
        with open(path, newline=newline, encoding="utf-8-sig") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        bad = error.object[error.start:error.start + 1]
        raise InputProblem(
            f"{path}: not UTF-8 text (byte 0x{bad.hex()} at offset {error.start}); cimnet writes its outputs in "
            "UTF-8: is this file damaged or from elsewhere?") from error


# --- CSV ------------------------------------------------------------------------------------------

def read_csv_with_preamble(path):
    """(preamble lines without '#', header, rows as dicts) of a CSV whose leading lines may be '#'
    comments. Values stay strings."""
    preamble = []
    lines = read_text(path, newline="").splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        preamble.append(lines[start][1:].strip())
        start += 1
    reader = csv.reader(lines[start:])
    try:
        header = next(reader)
    except StopIteration:
        return preamble, [], []
    rows = []
    for record in reader:
        if not record:
            continue
        rows.append({name: (record[i] if i < len(record) else "") for i, name in enumerate(header)})
    return preamble, header, rows


def csv_header(path):
    """The header of a CSV file (after any '#' lines), or None when the file is not readable text."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for line in handle:
                if line.startswith("#") or not line.strip():
                    continue
                return next(csv.reader([line]))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def number(text):
    """A float from a CSV field; None when empty or not a number."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def pick(header, key):
    """The first alias of column `key` (SEARCH_FORMAT) present in `header`, else None."""
    for alias in SEARCH_FORMAT["columns"][key]:
        if alias in header:
            return alias
    return None


def first_existing(directory, names):
    for name in names:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


# --- Detection ------------------------------------------------------------------------------------

def classify_csv(path):
    """'scatter', 'curve', 'dataset' or None from a CSV's header."""
    header = csv_header(path)
    if not header:
        return None
    if all(c in header for c in SCATTER_COLUMNS):
        return "scatter"
    if all(c in header for c in CURVE_COLUMNS):
        return "curve"
    if ("genome" in header or "arch" in header) and "cycles" in header and "status" in header:
        return "dataset"
    return None


def is_simulate_report(path):
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and isinstance(data.get("layers"), list) and isinstance(data.get("totals"), dict)


def is_search_run(directory):
    path = first_existing(directory, SEARCH_FORMAT["evaluations_files"])
    if not path:
        return False
    header = csv_header(path) or []
    return pick(header, "cycles") is not None and pick(header, "accuracy") is not None


def detect(paths):
    """What the given paths hold: {'search': [dirs], 'simulate': [json files], 'scatter': [csv],
    'curve': [csv], 'dataset': [csv]}. A folder is a search run, or else every file directly in it is
    classified (and every sub-folder that is a search run is taken). Raises InputProblem when nothing
    is recognised."""
    found = {"search": [], "simulate": [], "scatter": [], "curve": [], "dataset": []}
    for path in paths:
        if not os.path.exists(path):
            raise InputProblem(f"'{path}' does not exist")
        if os.path.isfile(path):
            _classify_file(path, found)
            continue
        if is_search_run(path):
            found["search"].append(path)
            continue
        for name in sorted(os.listdir(path)):
            child = os.path.join(path, name)
            if os.path.isdir(child):
                if is_search_run(child):
                    found["search"].append(child)
            else:
                _classify_file(child, found)
    if not any(found.values()):
        raise InputProblem(
            f"nothing to report in {', '.join(repr(p) for p in paths)}: expected a search run folder "
            f"(cimnet search --out DIR: {'/'.join(SEARCH_FORMAT['evaluations_files'][:1])} with cycles and "
            "accuracy columns), a simulate report (cimnet simulate --report out.json), or a folder with "
            "predictor scatter/curve CSVs (cimnet predictor eval --scatter, predictor curve --out) or a "
            "cimnet dataset CSV")
    return found


def _classify_file(path, found):
    lower = path.lower()
    if lower.endswith(".json"):
        if is_simulate_report(path):
            found["simulate"].append(path)
    elif lower.endswith(".csv"):
        kind = classify_csv(path)
        if kind:
            found[kind].append(path)


# --- Simulate report ------------------------------------------------------------------------------

def read_simulate_report(path):
    try:
        data = json.loads(read_text(path))
    except ValueError as error:
        raise InputProblem(f"{path}: not a simulate report ({error})") from error
    layers = data.get("layers") if isinstance(data, dict) else None
    if not layers or not all(isinstance(layer, dict) for layer in layers):
        raise InputProblem(
            f"{path}: the simulate report has no layers to draw ('layers' must be a non-empty list of objects); "
            "write it again with cimnet simulate --report")
    try:
        data.update(simulate_parts.read_parts(data))
    except ValueError as error:
        raise InputProblem(f"{path}: {error}; write it again with cimnet simulate --report") from error
    data["path"] = path
    return data


# --- Predictor outputs ----------------------------------------------------------------------------

def target_of(path, values=None):
    """'accuracy' or 'cycles' (or the file's stem) for a predictor output, from its name, else from
    its values (all within 0-100 → accuracy in percent)."""
    name = os.path.basename(path).lower()
    if re.search(r"acc|top1|top-1", name):
        return "accuracy"
    if re.search(r"cycle|latency", name):
        return "cycles"
    if values:
        return "accuracy" if all(0 <= v <= 100 for v in values) else "cycles"
    return os.path.splitext(os.path.basename(path))[0]


def read_scatter(path):
    _, _, rows = read_csv_with_preamble(path)
    actual, predicted = [], []
    for row in rows:
        a, p = number(row.get("actual")), number(row.get("predicted"))
        if a is not None and p is not None:
            actual.append(a)
            predicted.append(p)
    return {"path": path, "target": target_of(path, actual), "actual": actual, "predicted": predicted}


def read_curve(path):
    _, header, rows = read_csv_with_preamble(path)
    columns = {name: [] for name in header}
    for row in rows:
        for name in header:
            columns[name].append(number(row.get(name)))
    return {"path": path, "target": target_of(path), "columns": columns}


def read_dataset(path):
    preamble, header, rows = read_csv_with_preamble(path)
    ok = [r for r in rows if r.get("status", "ok") == "ok"]
    return {"path": path, "preamble": preamble, "header": header, "rows": ok, "failed": len(rows) - len(ok)}


# --- Search run folder ----------------------------------------------------------------------------

def _metadata_tokens(preamble):
    """key=value tokens of '#' preamble lines (e.g. 'cimnet search v1 mode=joint seed=1')."""
    tokens = {}
    for line in preamble:
        for match in re.finditer(r"(\w[\w-]*)=(\S+)", line):
            tokens.setdefault(match.group(1), match.group(2))
    return tokens


def parse_size(text):
    """Bytes from '256KiB', '1MiB', '512' (docs/user-guide.md suffixes); None if not a size."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*(B|KiB|MiB|GiB)?\s*", str(text))
    if not match:
        return None
    factor = {None: 1, "B": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}[match.group(2)]
    return float(match.group(1)) * factor


def read_scenario_choices(path):
    """The hardware.choices lists of a scenario copy ({param: [values]}), read line by line (flow-style
    lists as cimnet's scenarios write them); {} when there are none."""
    choices = {}
    if not path:
        return choices
    for line in read_text(path).splitlines():
        match = re.match(r"\s*([\w.]+)\s*:\s*\[([^\]]*)\]", line.split("#", 1)[0])
        name = match.group(1) if match else ""
        if (name in HW_PARAMS or is_component_gene(name)) and name not in choices:
            values = [parse_size(v) for v in match.group(2).split(",") if v.strip()]
            if values and all(v is not None for v in values):
                choices[match.group(1)] = values
    return choices


def _scenario_name(path):
    if not path:
        return None
    for line in read_text(path).splitlines():
        match = re.match(r"name\s*:\s*(\S.*?)\s*(#.*)?$", line)
        if match:
            return match.group(1)
    return None


def _points_from_rows(rows, header):
    """Evaluation dicts from CSV rows: cycles, accuracy, area, method, iteration, hardware values,
    genome, predicted values; rows that are not ok or lack cycles/accuracy are left out."""
    col = {key: pick(header, key) for key in SEARCH_FORMAT["columns"]}
    points = []
    for order, row in enumerate(rows):
        if col["status"] and row.get(col["status"], "ok") not in ("ok", ""):
            continue
        cycles = number(row.get(col["cycles"]))
        accuracy = number(row.get(col["accuracy"]))
        if cycles is None or accuracy is None:
            continue
        point = {
            "order": order,
            "cycles": cycles,
            "accuracy": accuracy,
            "area": number(row.get(col["area"])) if col["area"] else None,
            "method": row.get(col["method"], "") if col["method"] else "",
            "mode": row.get(col["mode"], "") if col["mode"] else "",
            "iteration": number(row.get(col["iteration"])) if col["iteration"] else None,
            "seed": row.get(col["seed"], "") if col["seed"] else "",
            "genome": row.get(col["genome"], "") if col["genome"] else "",
            "execution": row.get(col["execution"], "") if col["execution"] else "",
            "hw": {p: number(row.get(p)) for p in hw_params_of(header)},
        }
        for key in ("predicted_cycles", "predicted_accuracy", "analytical_cycles", "energy_pj"):
            point[key] = number(row.get(col[key])) if col[key] else None
        points.append(point)
    return points


def read_search_run(directory):
    """A search run folder as a dict: label, mode, evaluations, front, history, reference, choices."""
    evaluations_path = first_existing(directory, SEARCH_FORMAT["evaluations_files"])
    preamble, header, rows = read_csv_with_preamble(evaluations_path)
    points = _points_from_rows(rows, header)
    failed = len(rows) - len(points)
    meta = _metadata_tokens(preamble)

    summary = {}
    summary_path = first_existing(directory, SEARCH_FORMAT["summary_files"])
    if summary_path:
        try:
            with open(summary_path, encoding="utf-8") as handle:
                loaded = json.load(handle)
            if isinstance(loaded, dict):
                summary = loaded
        except (OSError, ValueError):
            summary = {}

    reference = None
    reference_rows = [p for p in points if p["method"] in SEARCH_FORMAT["reference_methods"]]
    if reference_rows:
        reference = {key: reference_rows[0][key] for key in ("cycles", "accuracy", "area", "energy_pj")}
    elif isinstance(summary.get("reference"), dict):
        r = summary["reference"]
        if number(r.get("cycles")) is not None and number(r.get("accuracy")) is not None:
            reference = {"cycles": number(r["cycles"]), "accuracy": number(r["accuracy"]),
                         "area": number(r.get("area"))}
    points = [p for p in points if p["method"] not in SEARCH_FORMAT["reference_methods"]]
    for p in points:
        if not p["method"]:
            p["method"] = "search"

    mode = (meta.get("mode") or summary.get("mode") or next((p["mode"] for p in points if p["mode"]), "")
            or _mode_from_name(directory))

    front_path = first_existing(directory, SEARCH_FORMAT["front_files"])
    front = None
    if front_path:
        _, front_header, front_rows = read_csv_with_preamble(front_path)
        front = _points_from_rows(front_rows, front_header)
        for p in front:
            if not p["method"]:
                p["method"] = _main_method(points)

    history = []
    history_path = first_existing(directory, SEARCH_FORMAT["history_files"])
    if history_path:
        _, history_header, history_rows = read_csv_with_preamble(history_path)
        col = {key: pick(history_header, key) for key in SEARCH_FORMAT["columns"]}
        for row in history_rows:
            entry = {"method": row.get(col["method"], "") if col["method"] else _main_method(points),
                     "seed": row.get(col["seed"], "") if col["seed"] else ""}
            for key in ("iteration", "evaluations", "hypervolume", "tau_cycles", "mape_cycles", "tau_accuracy",
                        "mape_accuracy"):
                entry[key] = number(row.get(col[key])) if col[key] else None
            history.append(entry)

    _split_seeds(points, front, history)

    scenario_path = first_existing(directory, SEARCH_FORMAT["scenario_files"])
    choices = read_scenario_choices(scenario_path)
    for param in hw_params_of(header):
        seen = sorted({p["hw"][param] for p in points if p["hw"].get(param) is not None})
        if param not in choices and seen:
            choices[param] = seen

    label = summary.get("name") or meta.get("name") or os.path.basename(os.path.normpath(directory))
    return {
        "path": directory,
        "label": label,
        "scenario": _scenario_name(scenario_path),
        "scenario_path": scenario_path,
        "mode": mode,
        "hw_params": hw_params_of(header),
        "objectives": (meta.get("objectives") or "accuracy.cycles").split("."),  # the search's (issue 16)
        "evaluations": points,
        "failed": failed,
        "front": front,
        "history": history,
        "reference": reference,
        "choices": choices,
        "summary": summary,
        "files": {"evaluations": evaluations_path, "front": front_path, "history": history_path,
                  "scenario": scenario_path, "summary": summary_path},
    }


def _split_seeds(points, front, history):
    """A run with several seeds of one method (cimnet search's `seeds`) draws each seed as its own
    series: the method becomes 'linas (seed 2)'. Runs with one seed per method keep the plain name."""
    seeds = {}
    for p in points:
        seeds.setdefault(p["method"], set()).add(p.get("seed", ""))
    several = {m for m, s in seeds.items() if len(s - {""}) > 1}
    for rows in (points, front or [], history):
        for r in rows:
            if r["method"] in several and r.get("seed", ""):
                r["method"] = f"{r['method']} (seed {r['seed']:g})" if isinstance(r["seed"], float) else \
                    f"{r['method']} (seed {r['seed']})"


def _mode_from_name(directory):
    name = os.path.basename(os.path.normpath(directory)).lower()
    for mode in ("joint", "arch", "hw"):
        if re.search(rf"(^|[^a-z]){mode}([^a-z]|$)", name):
            return mode
    return ""


def _main_method(points):
    """The predictor-guided method's name: the method that is not a baseline, else the most common."""
    methods = [p["method"] for p in points]
    for m in methods:
        if not is_baseline(m):
            return m
    return max(set(methods), key=methods.count) if methods else "search"


def is_baseline(method):
    return bool(re.search(r"random|nsga|baseline|dynast", method, re.IGNORECASE))


def is_variant(method):
    """A method run with settings of its own beside the plain method (cimnet search's method specs,
    e.g. 'linas:rerank=0'; docs/search.md)."""
    return ":" in method


def main_series_first(series):
    """The predictor-guided method's series, plain methods before their variants (linas before
    linas:rerank=0); every series when none is guided."""
    main = [s for s in series if not is_baseline(s[1])] or series
    return sorted(main, key=lambda s: is_variant(s[1]))
