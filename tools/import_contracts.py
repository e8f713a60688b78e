"""Import-linter contract types of our own (registered in pyproject.toml, `contract_types`)."""

from __future__ import annotations

import sys

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

STANDARD_LIBRARY = frozenset(sys.stdlib_module_names) | {"__future__"}


class StandardLibraryOnlyContract(Contract):
    """Each of `source_modules` imports nothing but itself and the Python standard library: no
    third-party package, and no module of the project outside it (a pure domain) but those of
    `allowed_modules` (themselves held to the same rule when they are source modules too)."""

    type_name = "standard_library_only"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    allowed_modules = fields.ListField(subfield=fields.ModuleField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        allowed = {module.name for module in self.allowed_modules or []}  # type: ignore[union-attr]
        offences = [
            offence
            for source in self.source_modules  # type: ignore[attr-defined]
            for offence in _outside_imports(graph, source.name)
            if offence[1] not in allowed
        ]
        return ContractCheck(kept=not offences, metadata={"offences": offences})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, line in check.metadata["offences"]:
            output.print_error(f"{importer} imports {imported} (l. {line}): not the standard library")
            output.new_line()


def _outside_imports(graph: ImportGraph, package: str) -> list[tuple[str, str, int]]:
    """(importer, imported, line number) of every import from `package` that leaves it."""
    found = []
    for importer in sorted({package} | graph.find_descendants(package)):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            inside = imported == package or imported.startswith(f"{package}.")
            if inside or imported.partition(".")[0] in STANDARD_LIBRARY:
                continue
            details = graph.get_import_details(importer=importer, imported=imported)
            found.append((importer, imported, details[0]["line_number"] if details else 0))
    return found
