using System.Threading.Tasks;

namespace Payments;

public interface IAuditLog
{
    Task WriteAsync(string entry);
}

public class PaymentService
{
    private readonly IAuditLog _audit;

    public PaymentService(IAuditLog audit) => _audit = audit;

    public virtual async Task ChargeAsync(decimal amount)
    {
        await _audit.WriteAsync("charge " + amount);
    }

    public void Refund(decimal amount)
    {
        Task.Delay(10);
        System.Console.WriteLine("refunded " + amount);
    }
}
