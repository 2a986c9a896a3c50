from setuptools import find_packages, setup

setup(
    name="images",
    version="1.4.0",
    packages=find_packages("src"),
    package_dir={"": "src"},
    url="https://github.com/acme/images",
)
