"""The optional parts of a simulate report (`cimnet simulate --report`), each read and checked by its own
module: memory occupancy, the schedule and the energy. Nothing here draws."""

import report_energy
import report_occupancy
import report_schedule


def read_parts(report):
    """{'occupancy', 'schedule', 'energy'}: each part as its reader returns it, None where the report has
    none. ValueError saying what is wrong when a part is there but damaged."""
    return {"occupancy": report_occupancy.read_occupancy(report),
            "schedule": report_schedule.read_schedule(report),
            "energy": report_energy.read_energy(report)}
