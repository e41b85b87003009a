import HelmRender
import Testing
