"""Reading the energy of a simulate report: `energy` of `cimnet simulate --report` (docs/energy.md), the
inference's energy by level and the dynamic energy of every layer. Kept apart from report_inputs so that
the checks of its shape are in one place; nothing here draws."""

import math


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def read_energy(report):
    """{'total_pj', 'levels': [(name, pJ)], 'layers_pj': [...], 'pj_per_mac', 'tops_per_watt', 'preset',
    'inference'}, or None when the report has none (written before it existed). ValueError saying what is
    wrong when it is there but damaged."""
    energy = report.get("energy")
    if energy is None:
        return None
    if not isinstance(energy, dict) or not _number(energy.get("total_pj")):
        raise ValueError("energy must be an object with a non-negative number 'total_pj'")
    levels = energy.get("levels")
    if not isinstance(levels, dict) or not all(_number(v) for v in levels.values()):
        raise ValueError("energy.levels must map each level to a non-negative number of pJ")
    layers = energy.get("layers_pj")
    if not isinstance(layers, list) or not all(_number(v) for v in layers):
        raise ValueError("energy.layers_pj must be a list of non-negative numbers of pJ, one per layer")
    table = energy.get("table") if isinstance(energy.get("table"), dict) else {}
    return {"total_pj": energy["total_pj"], "levels": list(levels.items()), "layers_pj": layers,
            "pj_per_mac": energy.get("pj_per_mac"), "tops_per_watt": energy.get("tops_per_watt"),
            "edp": energy.get("edp_joule_seconds"), "preset": table.get("preset", "?"),
            "inference": energy.get("inference", "")}
