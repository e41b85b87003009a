/// Helm's rendering layer over `GoTemplate`: chart loading, values coalescing, built-in objects, Sprig and Helm's
/// own functions, and `helm template`'s output.
public enum HelmRender {}
