using System.Data;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using MelonChain.Messages;
using MelonChain.ServiceDefaults.Messaging;
using Npgsql;

namespace MelonChain.ServiceDefaults.Data;

/// <summary>
/// The database session of one request or one consumed message (scoped). It opens its connection lazily; a
/// write endpoint or a consumer runs inside one transaction (begun by the platform, committed only when the
/// whole unit succeeded), and <see cref="Publish"/> puts events in the outbox inside that same transaction.
/// Writes whose result nobody reads (the outbox row, a stored response) wait (<see cref="Later"/>) and go with the
/// next round trip: the next statement sent, or the commit, which sends them and COMMIT as one batch.
/// </summary>
public sealed class Db(NpgsqlDataSource source, OutboxSignal outboxSignal) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private bool _wroteOutbox;
    private List<NpgsqlBatchCommand>? _later;

    public bool InTransaction => _transaction is not null;

    /// <summary>The session's connection, with the writes waiting for a round trip sent first (so statements keep their order).</summary>
    public async ValueTask<NpgsqlConnection> ConnectionAsync(CancellationToken ct = default)
    {
        var connection = await OpenAsync(ct);
        if (_later is not null) await SendLaterAsync(ct);
        return connection;
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        if (_connection is null)
        {
            _connection = await source.OpenConnectionAsync(ct);
        }
        return _connection;
    }

    /// <summary>
    /// One statement of a batch with positional parameters (<c>$1</c>, <c>$2</c>, … in the order given; null is SQL
    /// null, so give its type in the SQL, e.g. <c>$3::uuid</c>): Npgsql sends it as written, with no parsing or rewriting.
    /// </summary>
    public static NpgsqlBatchCommand Statement(string sql, params object?[] values)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            statement.Parameters.Add(new NpgsqlParameter { Value = value switch { null => DBNull.Value, DateTimeOffset at => at.ToUniversalTime(), _ => value } });
        return statement;
    }

    /// <summary>
    /// Statements in one round trip (the writes waiting first), in the current transaction: read each one's result in
    /// order (<see cref="NpgsqlDataReader.NextResult"/>; statements without rows, like an INSERT, give none).
    /// </summary>
    public async Task<NpgsqlDataReader> BatchAsync(IEnumerable<NpgsqlBatchCommand> statements, CancellationToken ct = default)
    {
        var batch = new NpgsqlBatch(await OpenAsync(ct), _transaction);
        if (_later is not null)
        {
            foreach (var waiting in _later) batch.BatchCommands.Add(waiting);
            _later = null;
        }
        foreach (var statement in statements) batch.BatchCommands.Add(statement);
        return await batch.ExecuteReaderAsync(ct);
    }

    private async Task SendLaterAsync(CancellationToken ct)
    {
        await using var reader = await BatchAsync([], ct);
        while (await reader.NextResultAsync(ct)) { }
    }

    /// <summary>
    /// A write whose result nobody reads, in the current transaction: sent with the next round trip (the next
    /// statement or the commit) instead of one of its own. Its error, if any, comes from that round trip.
    /// </summary>
    public void Later(NpgsqlBatchCommand statement)
    {
        if (_transaction is null) throw new InvalidOperationException("Writes wait for a round trip only inside a transaction.");
        (_later ??= []).Add(statement);
    }

    public async ValueTask BeginAsync(CancellationToken ct = default, IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        if (_transaction is not null) return;
        var connection = await OpenAsync(ct);
        _transaction = await connection.BeginTransactionAsync(isolation, ct);
    }

    public async ValueTask CommitAsync(CancellationToken ct = default)
    {
        if (_transaction is null) return;
        if (_later is null)
            await _transaction.CommitAsync(ct);
        else
        {
            // The waiting writes and COMMIT in one round trip. Npgsql sees the transaction end from the server's
            // answer; after a failure it is still open (or already ended) and RollbackAsync handles either.
            _later.Add(new NpgsqlBatchCommand("commit"));
            await SendLaterAsync(ct);
        }
        await _transaction.DisposeAsync();
        _transaction = null;
        if (_wroteOutbox)
        {
            _wroteOutbox = false;
            outboxSignal.Wake();
        }
    }

    public async ValueTask RollbackAsync()
    {
        _later = null;
        if (_transaction is null) return;
        try { await _transaction.RollbackAsync(); }
        catch (Exception) when (_connection?.State != ConnectionState.Open) { /* connection already gone */ }
        catch (InvalidOperationException) { /* the server already ended it (a failed COMMIT sent in a batch) */ }
        await _transaction.DisposeAsync();
        _transaction = null;
        _wroteOutbox = false;
    }

    /// <summary>
    /// Writes the event to the outbox in the current transaction (with the next round trip, <see cref="Later"/>); the
    /// relay publishes it after commit.
    /// </summary>
    public Task Publish<TEvent>(TEvent @event, CancellationToken ct = default) where TEvent : class, IEvent
    {
        if (_transaction is null) throw new InvalidOperationException("Events are published only inside a transaction.");
        Later(Statement(
            "insert into outbox (message_id, message_type, body, occurred_at) values ($1, $2, $3::jsonb, $4)",
            @event.EventId, EventCatalogue.NameOf(typeof(TEvent)), JsonSerializer.Serialize(@event, MessageJson.Options), @event.OccurredAt));
        _wroteOutbox = true;
        return Task.CompletedTask;
    }

    public async Task<int> ExecuteAsync(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).ExecuteAsync(Command(sql, param, ct));

    public async Task<T?> ExecuteScalarAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).ExecuteScalarAsync<T>(Command(sql, param, ct));

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        (await (await ConnectionAsync(ct)).QueryAsync<T>(Command(sql, param, ct))).AsList();

    /// <summary>
    /// The rows one at a time as the database sends them, none kept (Dapper unbuffered): for an answer written while
    /// it is read, whatever its size. The connection is busy until the rows are read or the enumeration is left.
    /// </summary>
    public async IAsyncEnumerable<T> QueryUnbufferedAsync<T>(
        string sql, object? param = null, int? commandTimeoutSeconds = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var connection = await ConnectionAsync(ct);
        await foreach (var row in connection.QueryUnbufferedAsync<T>(sql, param, _transaction, commandTimeoutSeconds).WithCancellation(ct))
            yield return row;
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).QuerySingleOrDefaultAsync<T>(Command(sql, param, ct));

    public async Task<T> QuerySingleAsync<T>(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).QuerySingleAsync<T>(Command(sql, param, ct));

    /// <summary>Several statements in one round trip; read each result in order from the reader.</summary>
    public async Task<SqlMapper.GridReader> QueryMultipleAsync(string sql, object? param = null, CancellationToken ct = default) =>
        await (await ConnectionAsync(ct)).QueryMultipleAsync(Command(sql, param, ct));

    private CommandDefinition Command(string sql, object? param, CancellationToken ct) =>
        new(sql, param, _transaction, cancellationToken: ct);

    /// <summary>
    /// Gives the connection back to the pool between two transactions, before a call that leaves the process, so no
    /// pooled connection waits on the carrier; the next use opens one again.
    /// </summary>
    public async ValueTask ReleaseConnectionAsync()
    {
        if (_transaction is not null) throw new InvalidOperationException("Commit or roll back before releasing the connection.");
        if (_connection is null) return;
        await _connection.DisposeAsync();
        _connection = null;
    }

    /// <summary>Rolls back and gives up the connection, so the next use opens a fresh one (after a failure).</summary>
    public async ValueTask ResetAsync()
    {
        try { await RollbackAsync(); }
        catch (Exception) { /* the connection is gone; the transaction with it */ }
        _transaction = null;
        _wroteOutbox = false;
        _later = null;
        if (_connection is not null)
        {
            try { await _connection.DisposeAsync(); } catch (Exception) { /* already broken */ }
            _connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RollbackAsync();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }
}
