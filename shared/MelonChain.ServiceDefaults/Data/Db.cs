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
/// </summary>
public sealed class Db(NpgsqlDataSource source, OutboxSignal outboxSignal) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private bool _wroteOutbox;

    public bool InTransaction => _transaction is not null;

    public async ValueTask<NpgsqlConnection> ConnectionAsync(CancellationToken ct = default)
    {
        if (_connection is null)
        {
            _connection = await source.OpenConnectionAsync(ct);
        }
        return _connection;
    }

    public async ValueTask BeginAsync(CancellationToken ct = default, IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        if (_transaction is not null) return;
        var connection = await ConnectionAsync(ct);
        _transaction = await connection.BeginTransactionAsync(isolation, ct);
    }

    public async ValueTask CommitAsync(CancellationToken ct = default)
    {
        if (_transaction is null) return;
        await _transaction.CommitAsync(ct);
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
        if (_transaction is null) return;
        try { await _transaction.RollbackAsync(); }
        catch (Exception) when (_connection?.State != ConnectionState.Open) { /* connection already gone */ }
        await _transaction.DisposeAsync();
        _transaction = null;
        _wroteOutbox = false;
    }

    /// <summary>Writes the event to the outbox in the current transaction; the relay publishes it after commit.</summary>
    public async Task Publish<TEvent>(TEvent @event, CancellationToken ct = default) where TEvent : class, IEvent
    {
        if (_transaction is null) throw new InvalidOperationException("Events are published only inside a transaction.");
        await ExecuteAsync(
            """
            insert into outbox (message_id, message_type, body, occurred_at)
            values (@MessageId, @MessageType, @Body::jsonb, @OccurredAt)
            """,
            new
            {
                MessageId = @event.EventId,
                MessageType = EventCatalogue.NameOf(typeof(TEvent)),
                Body = JsonSerializer.Serialize(@event, MessageJson.Options),
                @event.OccurredAt,
            }, ct);
        _wroteOutbox = true;
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
