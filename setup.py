"""Package layout that pyproject.toml cannot express on its own.

`db/` (migrations, demo seeds) and `resources/` (fonts, icons) sit at the top of the repository,
where people look for them, but travel inside the wheel as `festival_desk.db` and
`festival_desk.resources`, so that the installed program finds them with importlib.resources from
any working directory.
"""

from setuptools import find_namespace_packages, setup

MAPPED_FOLDERS = {"festival_desk.db": "db", "festival_desk.resources": "resources"}

packages = find_namespace_packages(include=["festival_desk", "festival_desk.*"])
package_dir = {"festival_desk": "festival_desk"}
for package, folder in MAPPED_FOLDERS.items():
    package_dir[package] = folder
    packages.append(package)
    packages += [f"{package}.{sub}" for sub in find_namespace_packages(where=folder)
                 if "__pycache__" not in sub]

setup(packages=packages, package_dir=package_dir)
