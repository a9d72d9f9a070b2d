<?php

namespace Laravel\Sanctum;

use Illuminate\Database\Eloquent\Model;

/**
 * This example's stand-in for laravel/sanctum's PersonalAccessToken model (the
 * stand-in's scope and omissions are listed in SanctumServiceProvider.php), on
 * the table of the skeleton's 2019_12_14_000001 migration.
 */
class PersonalAccessToken extends Model
{
    protected $table = 'personal_access_tokens';
    protected $fillable = ['name', 'token', 'abilities'];
    protected $hidden = ['token'];
    protected $casts = ['abilities' => 'json', 'last_used_at' => 'datetime'];

    public function tokenable()
    {
        return $this->morphTo('tokenable');
    }

    // The token a plain text "<id>|<secret>" names, if its secret matches.
    public static function findToken($plainText)
    {
        [$id, $secret] = array_pad(explode('|', (string) $plainText, 2), 2, null);

        // A non-numeric id would be a query error on PostgreSQL's bigint.
        if ($secret === null || ! ctype_digit($id) || ! ($token = static::find($id))) {
            return null;
        }

        // Constant time: how long the comparison takes says nothing about the hash.
        return hash_equals((string) $token->token, hash('sha256', $secret)) ? $token : null;
    }

    public function can($ability)
    {
        return (bool) array_intersect(['*', $ability], $this->abilities ?? []);
    }

    public function cant($ability)
    {
        return ! $this->can($ability);
    }
}
