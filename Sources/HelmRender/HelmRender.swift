/// Helm's rendering layer over `GoTemplate`: chart loading (`Chart/`), values (`Values/`: user values, `--set`,
/// coalescing, dependencies, schema), the engine and `helm template`'s output (`Engine/`), and Sprig (`Sprig/`).
public enum HelmRender {}
