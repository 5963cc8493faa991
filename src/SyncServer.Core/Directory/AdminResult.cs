namespace SyncServer.Core.Directory;

public enum AdminError
{
    None = 0,
    /// <summary>Malformed or unacceptable input.</summary>
    Invalid = 1,
    /// <summary>A named thing does not exist.</summary>
    NotFound = 2,
    /// <summary>The thing to create already exists.</summary>
    Conflict = 3,
}

/// <summary>The outcome of an administrative operation: ok, or an error with a one-line message for a person.</summary>
public readonly record struct AdminResult(AdminError Error, string Message)
{
    public static readonly AdminResult Ok = new(AdminError.None, "");

    public bool IsOk => Error == AdminError.None;

    public static AdminResult Invalid(string message) => new(AdminError.Invalid, message);
    public static AdminResult NotFound(string message) => new(AdminError.NotFound, message);
    public static AdminResult Conflict(string message) => new(AdminError.Conflict, message);
}

/// <summary>An outcome with a value when ok.</summary>
public readonly record struct AdminResult<T>(T? Value, AdminError Error, string Message)
{
    public bool IsOk => Error == AdminError.None;

    /// <summary>The outcome without the value, to pass a failure on as another result type.</summary>
    public AdminResult Outcome => new(Error, Message);

    public static implicit operator AdminResult<T>(T value) => new(value, AdminError.None, "");

    /// <summary>Carries a failure over; an ok <see cref="AdminResult"/> has no value to give and is refused.</summary>
    public static implicit operator AdminResult<T>(AdminResult failure)
        => failure.IsOk ? throw new InvalidOperationException("An ok result needs a value.") : new(default, failure.Error, failure.Message);
}
