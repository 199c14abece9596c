"""Interactive panels for the notebooks: sliders that redraw a figure or a text.

Used in 05_sampling (temperature), 06/07 (gates) and later. ipywidgets is imported inside
``controls``, never when rnnkit is imported.
"""


def _widget(name, spec, label_width="initial"):
    """An ipywidgets control from a spec: (min, max, step, value) → slider, list → dropdown."""
    import ipywidgets as widgets

    # ipywidgets' default label width cuts "temperature" to "temperat…"; this one fits the name.
    label = {"description": name, "style": {"description_width": label_width}}
    if isinstance(spec, list):
        if not spec:
            raise ValueError(f"{name}: a list of options must not be empty")
        return widgets.Dropdown(options=spec, value=spec[0], **label)
    if isinstance(spec, tuple) and len(spec) == 4:
        lo, hi, step, value = spec
        if not lo <= value <= hi:
            raise ValueError(f"{name}: value {value} must lie in [min, max] = [{lo}, {hi}]")
        kind = widgets.IntSlider if all(isinstance(v, int) for v in spec) else widgets.FloatSlider
        return kind(min=lo, max=hi, step=step, value=value, continuous_update=False, **label)
    raise ValueError(f"{name} must be a (min, max, step, value) tuple or a list of options, got {spec!r}")


def controls(fn, **sliders):
    """An interactive panel calling ``fn(**values)`` whenever a control changes.

    sliders : name=(min, max, step, value) for a slider, name=[option, ...] for a dropdown.
    What ``fn`` returns is shown below the controls: a Figure as a plot, a str as text.

        controls(lambda temperature: plot_distribution(probs ** (1 / temperature), chars),
                 temperature=(0.1, 2.0, 0.1, 1.0))
    """
    import ipywidgets as widgets

    def show(**values):
        result = fn(**values)
        if isinstance(result, str):
            print(result)
            return None
        return result  # ipywidgets displays a non-None result (a Figure renders as a plot)

    width = f"{max(map(len, sliders), default=0) + 1}ch"  # the longest name: labels and sliders line up
    made = {name: _widget(name, spec, width) for name, spec in sliders.items()}
    return widgets.interactive(show, **made)
