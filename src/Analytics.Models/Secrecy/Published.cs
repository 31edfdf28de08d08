using System.Globalization;

namespace Analytics.Models.Secrecy;

/// <summary>
/// A figure as it may be published: a value, or the reason there is none to show
/// (<see cref="PublicationState"/>). A count that may be suppressed is a <c>Published&lt;long&gt;</c>,
/// never a bare <c>long</c>, so that secrecy survives every computation down to the output.
/// </summary>
/// <remarks>
/// An <see cref="PublicationState.Unreliable"/> figure keeps its value (it is shown with a flag);
/// <see cref="PublicationState.Suppressed"/> and <see cref="PublicationState.Missing"/> carry none.
/// Derive figures from other figures with <see cref="Published.Derive{TA,TB,TResult}"/>, which
/// applies the precedence of <see cref="Published.Combine(PublicationState[])"/>.
/// </remarks>
public readonly struct Published<T> : IEquatable<Published<T>> where T : struct
{
    private readonly T _value;

    private Published(PublicationState state, T value)
    {
        State = state;
        _value = value;
    }

    public PublicationState State { get; }

    /// <summary>True when there is a number to show (<see cref="PublicationState.Value"/> or <see cref="PublicationState.Unreliable"/>).</summary>
    public bool HasValue => State is PublicationState.Value or PublicationState.Unreliable;

    /// <summary>The number; asking a suppressed or missing figure for it is a bug, and throws.</summary>
    public T Value => HasValue
        ? _value
        : throw new InvalidOperationException($"a {State.ToString().ToLowerInvariant()} figure has no value to show");

    public static Published<T> Of(T value) => new(PublicationState.Value, value);

    public static Published<T> Unreliable(T value) => new(PublicationState.Unreliable, value);

    public static Published<T> Suppressed => new(PublicationState.Suppressed, default);

    public static Published<T> Missing => new(PublicationState.Missing, default);

    /// <summary>A figure without value in the given state (for derivations; a value state needs a value).</summary>
    internal static Published<T> Without(PublicationState state) => state switch
    {
        PublicationState.Suppressed => Suppressed,
        PublicationState.Missing => Missing,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "a value or unreliable figure needs its value"),
    };

    public bool Equals(Published<T> other) =>
        State == other.State && (!HasValue || EqualityComparer<T>.Default.Equals(_value, other._value));

    public override bool Equals(object? obj) => obj is Published<T> other && Equals(other);

    public override int GetHashCode() => HasValue ? HashCode.Combine(State, _value) : State.GetHashCode();

    public static bool operator ==(Published<T> left, Published<T> right) => left.Equals(right);

    public static bool operator !=(Published<T> left, Published<T> right) => !left.Equals(right);

    /// <summary>The usual French table notation: "s" secret, "nd" not available, a trailing "*" for unreliable.</summary>
    public override string ToString() => State switch
    {
        PublicationState.Value => Convert.ToString(_value, CultureInfo.InvariantCulture) ?? "",
        PublicationState.Unreliable => Convert.ToString(_value, CultureInfo.InvariantCulture) + "*",
        PublicationState.Suppressed => "s",
        _ => "nd",
    };
}

/// <summary>Factories and the rule for deriving one published figure from others.</summary>
public static class Published
{
    public static Published<T> Of<T>(T value) where T : struct => Published<T>.Of(value);

    /// <summary>
    /// The state of a figure computed from inputs in the given states. Precedence:
    /// suppressed &gt; missing &gt; unreliable &gt; value. Secrecy comes first because a figure
    /// computed from a secret one would let a reader recover it (a rate times the published
    /// population is the count); a missing input leaves nothing to compute; an unstable input
    /// makes the result unstable.
    /// </summary>
    public static PublicationState Combine(params PublicationState[] inputs)
    {
        var result = PublicationState.Value;
        foreach (var state in inputs)
        {
            if (state == PublicationState.Suppressed)
                return PublicationState.Suppressed;
            if (state == PublicationState.Missing)
                result = PublicationState.Missing;
            else if (state == PublicationState.Unreliable && result == PublicationState.Value)
                result = PublicationState.Unreliable;
        }
        return result;
    }

    /// <summary>
    /// Computes <paramref name="compute"/> when both inputs have values, and gives the result the
    /// state <see cref="Combine(PublicationState[])"/> assigns; otherwise no computation happens.
    /// </summary>
    public static Published<TResult> Derive<TA, TB, TResult>(Published<TA> a, Published<TB> b, Func<TA, TB, TResult> compute)
        where TA : struct where TB : struct where TResult : struct
    {
        var state = Combine(a.State, b.State);
        return state switch
        {
            PublicationState.Value => Published<TResult>.Of(compute(a.Value, b.Value)),
            PublicationState.Unreliable => Published<TResult>.Unreliable(compute(a.Value, b.Value)),
            _ => Published<TResult>.Without(state),
        };
    }
}
