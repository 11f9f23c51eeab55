"""``python -m retailkit.datasets`` (``make data``): rebuild the shipped tables from their seeds."""

from retailkit.datasets.constants import CANONICAL_SEED, SMALL
from retailkit.datasets.files import data_folder, write
from retailkit.datasets.generator import generate


def main() -> None:
    """Rebuild the canonical tables in datasets/ and the small test set in datasets/small/."""
    folder = data_folder()
    for path in write(generate(CANONICAL_SEED), folder):
        print(f"wrote {path}")
    for path in write(generate(**SMALL), folder / "small"):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
