"""The hardware columns of cimnet's files: the eight searched parameters and a digital core's searched
sizes (component genes), with their units."""

# The eight searched hardware parameters, in CiMNet's order (hardware/, docs/user-guide.md).
HW_PARAMS = ["DRAM_bw", "L2_bw", "L1_bw", "L1_num_child", "MA_bw", "MA_num_child", "MA_mem_size",
             "MA_comp_per_core"]
HW_UNITS = {"DRAM_bw": "B/cycle", "L2_bw": "B/cycle", "L1_bw": "B/cycle", "L1_num_child": "count",
            "MA_bw": "B/cycle", "MA_num_child": "count", "MA_mem_size": "bytes", "MA_comp_per_core": "MAC/cycle"}
# A digital core's searched size (issue 17, hardware/component_genes.hpp): a column "<core>.<field>" after
# the eight, only in runs of a scenario that searches one.
CORE_FIELD_UNITS = {"rows": "count", "cols": "count", "weight_buffer": "bytes", "input_buffer": "bytes",
                    "output_buffer": "bytes", "port": "B/cycle"}


def is_component_gene(name):
    """Whether a column or choices key names a digital core's searched size ('pe.rows')."""
    return "." in name and name.rsplit(".", 1)[1] in CORE_FIELD_UNITS


def hw_params_of(header):
    """The hardware columns of a file: the eight parameters present, then its component genes."""
    return [p for p in HW_PARAMS if p in header] + [h for h in header if is_component_gene(h)]


def hw_unit(param):
    return HW_UNITS.get(param) or CORE_FIELD_UNITS.get(param.rsplit(".", 1)[-1], "")
