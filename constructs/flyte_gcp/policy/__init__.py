"""Policy: small rules over the synthesized resources, applied to every stack as one Aspect (the policy pack)."""
